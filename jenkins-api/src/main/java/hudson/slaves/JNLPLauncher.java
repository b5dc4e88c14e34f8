// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.slaves;

import hudson.model.TaskListener;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

// Minimal: keeps the WebSocket flag so unit tests can read it.
public class JNLPLauncher extends ComputerLauncher {
  private boolean webSocket;

  @DataBoundConstructor
  public JNLPLauncher() {}

  @Override
  public boolean isLaunchSupported() {
    return false;
  }

  public boolean isWebSocket() {
    return webSocket;
  }

  @DataBoundSetter
  public void setWebSocket(boolean webSocket) {
    this.webSocket = webSocket;
  }

  @Override
  public void launch(SlaveComputer computer, TaskListener listener) {
    // inbound agents connect by themselves
  }
}
