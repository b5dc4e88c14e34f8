package io.spotnest.jenkins;

import hudson.Extension;
import hudson.model.Label;
import hudson.model.LoadStatistics;
import hudson.slaves.NodeProvisioner;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import jenkins.model.Jenkins;

/**
 * Asks the SpotNest clouds for agents as soon as builds for their labels wait, instead of after
 * Jenkins' default provisioner has watched the load settle (about 85 s in a real Jenkins). Runs
 * before the default strategy (ordinal 100); labels no SpotNest cloud serves pass through
 * untouched. Jenkins adds planned agents at a label's next provisioning round, so when it planned
 * some it asks for that round a second later.
 */
@Extension(ordinal = 100)
public final class SpotNestProvisionStrategy extends NodeProvisioner.Strategy {
  private final Supplier<List<SpotNestCloud>> clouds;
  private final NoDelayProvisioning provisioning;
  private final Consumer<Label> review;

  public SpotNestProvisionStrategy() {
    this(
        () -> Jenkins.get().clouds.getAll(SpotNestCloud.class),
        new NoDelayProvisioning(FleetReadiness.installed()),
        SpotNestQueueListener::reviewSoon);
  }

  SpotNestProvisionStrategy(
      Supplier<List<SpotNestCloud>> clouds,
      NoDelayProvisioning provisioning,
      Consumer<Label> review) {
    this.clouds = clouds;
    this.provisioning = provisioning;
    this.review = review;
  }

  @Override
  public NodeProvisioner.StrategyDecision apply(NodeProvisioner.StrategyState state) {
    LoadStatistics.LoadStatisticsSnapshot snapshot = state.getSnapshot();
    LabelLoad load =
        new LabelLoad(
            snapshot.getQueueLength(),
            snapshot.getAvailableExecutors(),
            // not online yet: connecting, or launched and still booting its VM
            snapshot.getDefinedExecutors() - snapshot.getOnlineExecutors(),
            state.getPlannedCapacitySnapshot(),
            state.getAdditionalPlannedCapacity());
    NoDelayProvisioning.Outcome outcome =
        provisioning.provision(state.getLabel(), load, clouds.get());
    if (!outcome.planned().isEmpty()) {
      state.recordPendingLaunches(outcome.planned());
      // Jenkins adds a planned agent at the provisioner's next round: have it come now
      review.accept(state.getLabel());
    }
    return outcome.decision();
  }
}
