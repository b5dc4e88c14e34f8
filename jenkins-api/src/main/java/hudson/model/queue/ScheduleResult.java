// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model.queue;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Queue.Item;

public abstract class ScheduleResult {
  public boolean isCreated() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public boolean isRefused() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public @CheckForNull Item getItem() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public final boolean isAccepted() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }
}
