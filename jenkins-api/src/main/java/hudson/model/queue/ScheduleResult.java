// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model.queue;

public abstract class ScheduleResult {
  public final boolean isAccepted() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }
}
