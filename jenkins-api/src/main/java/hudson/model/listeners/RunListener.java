// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model.listeners;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.ExtensionPoint;
import hudson.model.Run;
import hudson.model.TaskListener;

public abstract class RunListener<R extends Run> implements ExtensionPoint {
  public final Class<R> targetType;

  protected RunListener(Class<R> targetType) {
    this.targetType = targetType;
  }

  protected RunListener() {
    this.targetType = null;
  }

  public void onStarted(R r, TaskListener listener) {}

  public void onCompleted(R r, @NonNull TaskListener listener) {}

  public void onFinalized(R r) {}
}
