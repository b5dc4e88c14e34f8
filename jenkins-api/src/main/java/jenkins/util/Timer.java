// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package jenkins.util;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.concurrent.ScheduledExecutorService;

public class Timer {
  @NonNull
  public static synchronized ScheduledExecutorService get() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  private Timer() {}
}
