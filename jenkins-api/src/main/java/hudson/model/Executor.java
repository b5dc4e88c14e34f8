// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import jenkins.model.CauseOfInterruption;

// The real class also implements ModelObject and IExecutor; its constructor takes the owner
// Computer and a number.
public class Executor extends Thread {
  private Executor() {}

  public @CheckForNull Queue.Executable getCurrentExecutable() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public void interrupt(Result result, CauseOfInterruption... causes) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }
}
