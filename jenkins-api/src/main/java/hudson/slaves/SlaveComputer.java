// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.slaves;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Computer;
import hudson.model.Slave;
import hudson.model.TaskListener;

public class SlaveComputer extends Computer {
  public SlaveComputer(Slave slave) {
    super(slave);
  }

  @Override
  public boolean isAcceptingTasks() {
    return true;
  }

  public String getJnlpMac() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public void setAcceptingTasks(boolean acceptingTasks) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  @CheckForNull
  @Override
  public Slave getNode() {
    return (Slave) super.getNode();
  }

  @NonNull
  public TaskListener getListener() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public ComputerLauncher getLauncher() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }
}
