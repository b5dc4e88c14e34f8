// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model.queue;

import hudson.ExtensionPoint;
import hudson.model.Queue.BuildableItem;

public abstract class QueueListener implements ExtensionPoint {
  public void onEnterBuildable(BuildableItem bi) {}
}
