// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.slaves;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.ExtensionPoint;
import hudson.model.Label;
import hudson.model.LoadStatistics;
import hudson.model.Node;
import java.util.Collection;
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

  public void suggestReviewNow() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public enum StrategyDecision {
    CONSULT_REMAINING_STRATEGIES,
    PROVISIONING_COMPLETED
  }

  public abstract static class Strategy implements ExtensionPoint {
    @NonNull
    public abstract StrategyDecision apply(@NonNull StrategyState state);
  }

  public final class StrategyState {
    // The real constructor is private and takes the snapshot, the label and the planned capacity.
    private StrategyState() {}

    @CheckForNull
    public Label getLabel() {
      throw new UnsupportedOperationException("compile-only Jenkins API");
    }

    public LoadStatistics.LoadStatisticsSnapshot getSnapshot() {
      throw new UnsupportedOperationException("compile-only Jenkins API");
    }

    public int getPlannedCapacitySnapshot() {
      throw new UnsupportedOperationException("compile-only Jenkins API");
    }

    public synchronized int getAdditionalPlannedCapacity() {
      throw new UnsupportedOperationException("compile-only Jenkins API");
    }

    public void recordPendingLaunches(Collection<PlannedNode> plannedNodes) {
      throw new UnsupportedOperationException("compile-only Jenkins API");
    }
  }
}
