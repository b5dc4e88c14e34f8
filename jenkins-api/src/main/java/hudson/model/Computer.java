// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.security.AccessControlled;
import java.util.List;
import java.util.concurrent.Future;
import jenkins.model.IComputer;

// The real class also implements ExecutorListener, DescriptorByNameOwner, StaplerProxy and
// HasWidgets.
public abstract class Computer extends Actionable implements AccessControlled, IComputer {
  private final Node node;

  protected Computer(Node node) {
    this.node = node;
  }

  public @NonNull String getName() {
    return node == null ? "" : node.getNodeName();
  }

  public Node getNode() {
    return node;
  }

  public final boolean isOnline() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public final int countBusy() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public final boolean isIdle() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public final long getIdleStartMilliseconds() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public final Future<?> connect(boolean forceReconnect) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public List<Executor> getExecutors() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public boolean isAcceptingTasks() {
    return true;
  }
}
