// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.slaves;

import hudson.ExtensionPoint;
import hudson.model.Describable;
import hudson.model.TaskListener;
import java.io.IOException;

public abstract class ComputerLauncher implements Describable<ComputerLauncher>, ExtensionPoint {
  public boolean isLaunchSupported() {
    return true;
  }

  public void launch(SlaveComputer computer, TaskListener listener)
      throws IOException, InterruptedException {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public void afterDisconnect(SlaveComputer computer, TaskListener listener) {}

  public void beforeDisconnect(SlaveComputer computer, TaskListener listener) {}
}
