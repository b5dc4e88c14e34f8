package io.spotnest.strategy.sim;

import io.spotnest.strategy.policy.MigrationTimeEstimator;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.Hazard;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * Sizes and keeps our warm spares: ready on-demand room per spot pool so that, on a notice, the agents that can
 * still leave in the warning window start migrating at once instead of after a host launch. A host's savable
 * agents are its smallest ones whose migrations, sharing the host's link, fit in the window; their room is kept
 * while the expected value of saving them within the next hour ({@code P(reclamation within 1 h)} × their lost
 * build time and restart penalty, in the policy's units) exceeds what that room costs on on-demand for the hour.
 * The spares are shared by all pools and sized for the neediest pool, not the sum: a burst reclaims the hosts of
 * one pool, so this assumes bursts of different pools rarely overlap; when they do, the simulation makes the
 * second pool's evacuations wait for a launch.
 * Spares are real hosts: they take the launch time and are billed from launch like any other.
 */
final class WarmSpares {
  private static final Duration HORIZON = Duration.ofHours(1);
  private final PolicyParameters economics;
  private final MigrationTimeEstimator estimator;
  private final int linkShares;
  private final double hostOverheadGiB;
  private final long windowSeconds;
  private final long idleSeconds;

  WarmSpares(PolicyParameters economics, MigrationTimeEstimator estimator, SimConfig config, long windowSeconds) {
    if (windowSeconds <= 0) {
      throw new IllegalArgumentException("windowSeconds must be positive, got " + windowSeconds);
    }
    this.economics = economics;
    this.estimator = estimator;
    this.linkShares = config.maxMigrationsPerSource();
    this.hostOverheadGiB = config.hostOverheadGiB();
    this.windowSeconds = windowSeconds;
    this.idleSeconds = config.idleSeconds();
  }

  /**
   * Spare room in GiB worth keeping for the given spot hosts of one pool under {@code hazard}; with
   * {@code regardlessOfHazard} the room for every host's savable agents.
   */
  double wantedGiB(List<SimHost> poolHosts, Hazard hazard, boolean regardlessOfHazard) {
    double p = hazard.probabilityWithin(HORIZON);
    double wanted = 0;
    for (SimHost h : poolHosts) {
      double savable = 0;
      double value = 0;
      double drained = 0;
      for (SimAgent a : h.agents.stream().filter(a -> a.migration == null)
          .sorted(Comparator.comparingDouble(a -> a.build.ramGiB())).toList()) {
        drained += estimator.estimate(a.build.ramGiB(), linkShares).toMillis() / 1000.0 / linkShares;
        if (drained > windowSeconds) {
          break;
        }
        savable += a.build.ramGiB();
        value += a.build.ramGiB() * (a.progressSeconds / 3600 * economics.lostBuildHourCost()
            + economics.restartPenalty());
      }
      double costForHorizon = (savable + hostOverheadGiB) * HORIZON.toMinutes() / 60.0;
      if (savable > 0 && (regardlessOfHazard || p * value > costForHorizon)) {
        wanted += savable;
      }
    }
    return wanted;
  }

  /**
   * Launches spares in {@code zone} until their free room covers {@code wantedGiB}; releases surplus ones that have
   * been kept for at least the idle timeout (like any idle host), so that a fluctuating need does not churn hosts.
   */
  void keep(Fleet fleet, double wantedGiB, String zone) {
    List<SimHost> spares = fleet.hosts.stream().filter(h -> !h.terminated && h.spare)
        .sorted(Comparator.comparingDouble(SimHost::freeGiB)).toList();
    double room = spares.stream().mapToDouble(SimHost::freeGiB).sum();
    for (SimHost s : spares) {
      if (room - s.freeGiB() >= wantedGiB - 1e-9 && fleet.now - s.launchedAt >= idleSeconds) {
        room -= s.freeGiB();
        fleet.terminate(s);
      }
    }
    double maxRoom = fleet.onDemandHostRamGiB - hostOverheadGiB;
    while (room < wantedGiB - 1e-9) {
      SimHost s = fleet.launchSpare(Math.min(maxRoom, wantedGiB - room), zone);
      room += s.freeGiB();
    }
  }
}
