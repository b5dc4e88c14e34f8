package io.spotnest.strategy.sim;

import io.spotnest.strategy.fleet.WarmSparePlan;
import io.spotnest.strategy.policy.MigrationTimeEstimator;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.Hazard;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Runs the public {@link WarmSparePlan} on the simulated fleet (see there for the sizing). Spares
 * are real hosts: they take the launch time and are billed from launch like any other.
 */
final class WarmSpares {
  private final SimConfig config;
  private final long windowSeconds;
  private final PolicyParameters economics;
  private final MigrationTimeEstimator estimator;

  WarmSpares(
      PolicyParameters economics,
      MigrationTimeEstimator estimator,
      SimConfig config,
      long windowSeconds) {
    if (windowSeconds <= 0) {
      throw new IllegalArgumentException("windowSeconds must be positive, got " + windowSeconds);
    }
    this.economics = economics;
    this.estimator = estimator;
    this.config = config;
    this.windowSeconds = windowSeconds;
  }

  /** The public plan for {@code fleet} (its host sizes). */
  WarmSparePlan plan(Fleet fleet) {
    return new WarmSparePlan(
        economics,
        estimator,
        config.maxMigrationsPerSource(),
        config.hostOverheadGiB(),
        Duration.ofSeconds(windowSeconds),
        Duration.ofSeconds(config.idleSeconds()),
        fleet.onDemandHostRamGiB - config.hostOverheadGiB(),
        ram -> fleet.onDemandSizeGiB(ram) - config.hostOverheadGiB());
  }

  /**
   * Spare room worth keeping for the given spot hosts of one pool (see {@link
   * WarmSparePlan#wantedGiB}).
   */
  double wantedGiB(
      Fleet fleet, List<SimHost> poolHosts, Hazard hazard, boolean regardlessOfHazard) {
    return plan(fleet)
        .wantedGiB(
            FleetViews.hosts(fleet).stream()
                .filter(v -> poolHosts.stream().anyMatch(h -> h.id.equals(v.id())))
                .toList(),
            hazard,
            regardlessOfHazard);
  }

  /** Launches or releases spares in {@code zone} so that their room covers {@code wantedGiB}. */
  void keep(Fleet fleet, double wantedGiB, String zone) {
    FleetViews.apply(
        fleet,
        plan(fleet)
            .keepRoom(
                FleetViews.hosts(fleet), wantedGiB, zone, Instant.EPOCH.plusSeconds(fleet.now)),
        Instant.EPOCH);
  }
}
