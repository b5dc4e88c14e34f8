// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.triggers;

import java.util.TimerTask;

public abstract class SafeTimerTask extends TimerTask {
  @Override
  public final void run() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  protected abstract void doRun() throws Exception;
}
