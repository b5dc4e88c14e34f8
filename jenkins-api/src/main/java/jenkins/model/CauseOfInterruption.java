// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package jenkins.model;

import hudson.model.TaskListener;
import java.io.Serializable;

public abstract class CauseOfInterruption implements Serializable {
  public abstract String getShortDescription();

  public void print(TaskListener listener) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }
}
