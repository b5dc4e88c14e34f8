// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.slaves;

import hudson.model.Node;
import java.util.concurrent.Future;

public class NodeProvisioner {
  private NodeProvisioner() {}

  public static class PlannedNode {
    public final String displayName;
    public final Future<Node> future;
    public final int numExecutors;

    public PlannedNode(String displayName, Future<Node> future, int numExecutors) {
      if (displayName == null || future == null || numExecutors < 1) {
        throw new IllegalArgumentException();
      }
      this.displayName = displayName;
      this.future = future;
      this.numExecutors = numExecutors;
    }

    public void spent() {}
  }
}
