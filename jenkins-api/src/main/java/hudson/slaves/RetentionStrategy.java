// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.slaves;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.ExtensionPoint;
import hudson.model.Computer;
import hudson.model.Describable;

public abstract class RetentionStrategy<T extends Computer>
    implements Describable<RetentionStrategy<?>>, ExtensionPoint {
  public abstract long check(@NonNull T c);

  public boolean isManualLaunchAllowed(T c) {
    return true;
  }

  public boolean isAcceptingTasks(T c) {
    return true;
  }

  public void start(final @NonNull T c) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }
}
