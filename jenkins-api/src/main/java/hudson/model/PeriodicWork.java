// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import hudson.ExtensionPoint;
import hudson.triggers.SafeTimerTask;

public abstract class PeriodicWork extends SafeTimerTask implements ExtensionPoint {
  public abstract long getRecurrencePeriod();

  public long getInitialDelay() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  protected static final long MIN = 1000 * 60;
  protected static final long HOUR = 60 * MIN;
  protected static final long DAY = 24 * HOUR;
}
