// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.slaves;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Descriptor;
import hudson.model.Slave;
import hudson.model.TaskListener;
import java.io.IOException;

public abstract class AbstractCloudSlave extends Slave {
  protected AbstractCloudSlave(@NonNull String name, String remoteFS, ComputerLauncher launcher)
      throws Descriptor.FormException, IOException {
    super(name, remoteFS, launcher);
  }

  @Override
  public abstract AbstractCloudComputer createComputer();

  public void terminate() throws InterruptedException, IOException {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  protected abstract void _terminate(TaskListener listener)
      throws IOException, InterruptedException;
}
