package io.spotnest.strategy.fleet;

import io.spotnest.strategy.policy.MigrationTimeEstimator;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.Hazard;
import io.spotnest.strategy.signal.PoolId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * Sizes and keeps warm spares: ready on-demand room so that, on a notice, the agents that can still
 * leave in the warning window start migrating at once instead of after a host launch. A host's
 * savable agents are its smallest ones whose migrations, sharing the host's link, fit in the
 * window; their room is kept while the expected value of saving them within the next hour ({@code
 * P(reclamation within 1 h)} × their lost build time and restart penalty, in the policy's units)
 * exceeds what that room costs on on-demand for the hour. One set of spares serves all pools, sized
 * for the neediest pool (a burst reclaims the hosts of one pool). Surplus spares are released once
 * kept for the idle time. The simulator runs exactly this code for our strategy.
 */
public final class WarmSparePlan {
  private static final Duration HORIZON = Duration.ofHours(1);
  private final PolicyParameters economics;
  private final MigrationTimeEstimator estimator;
  private final int linkShares;
  private final double hostOverheadGiB;
  private final long windowSeconds;
  private final Duration idle;
  private final double maxSpareRoomGiB;
  private final DoubleUnaryOperator onDemandRoomGiB;

  /**
   * @param linkShares concurrent migrations sharing a host's link
   * @param window the warning a noticed host's agents have to leave in
   * @param idle a surplus spare is released only after being kept this long
   * @param maxSpareRoomGiB room of the largest on-demand host (one spare holds at most this)
   * @param onDemandRoomGiB room of the right-sized on-demand host launched for the given GiB of
   *     agents
   */
  public WarmSparePlan(
      PolicyParameters economics,
      MigrationTimeEstimator estimator,
      int linkShares,
      double hostOverheadGiB,
      Duration window,
      Duration idle,
      double maxSpareRoomGiB,
      DoubleUnaryOperator onDemandRoomGiB) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, got " + window);
    }
    this.economics = Objects.requireNonNull(economics, "economics");
    this.estimator = Objects.requireNonNull(estimator, "estimator");
    this.linkShares = linkShares;
    this.hostOverheadGiB = hostOverheadGiB;
    this.windowSeconds = window.toSeconds();
    this.idle = Objects.requireNonNull(idle, "idle");
    this.maxSpareRoomGiB = maxSpareRoomGiB;
    this.onDemandRoomGiB = Objects.requireNonNull(onDemandRoomGiB, "onDemandRoomGiB");
  }

  /**
   * Spare room in GiB worth keeping for the given spot hosts of one pool under {@code hazard}; with
   * {@code regardlessOfHazard} the room for every host's savable agents.
   */
  public double wantedGiB(List<HostView> poolHosts, Hazard hazard, boolean regardlessOfHazard) {
    double p = hazard.probabilityWithin(HORIZON);
    double wanted = 0;
    for (HostView h : poolHosts) {
      double savable = 0;
      double value = 0;
      double drained = 0;
      for (AgentView a :
          h.agents().stream()
              .filter(a -> !a.migrating())
              .sorted(Comparator.comparingDouble(AgentView::ramGiB))
              .toList()) {
        drained += estimator.estimate(a.ramGiB(), linkShares).toMillis() / 1000.0 / linkShares;
        if (drained > windowSeconds) {
          break;
        }
        savable += a.ramGiB();
        value +=
            a.ramGiB()
                * (a.elapsed().toMillis() / 1000.0 / 3600 * economics.lostBuildHourCost()
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
   * The spares for the neediest of {@code pools} (in order; ties go to the first): its room, in its
   * zone (else {@code defaultZone} when no pool needs any).
   */
  public List<FleetDecision> keep(
      List<HostView> fleet,
      List<PoolId> pools,
      Map<PoolId, ? extends Hazard> hazards,
      boolean regardlessOfHazard,
      String defaultZone,
      Instant now) {
    double wanted = 0;
    String zone = defaultZone;
    for (PoolId pool : pools) {
      List<HostView> inPool = new ArrayList<>();
      for (HostView h : fleet) {
        if (h.pool().isPresent()
            && h.pool().get().equals(pool)
            && !h.notified()
            && !h.agents().isEmpty()) {
          inPool.add(h);
        }
      }
      if (!inPool.isEmpty()) {
        double w = wantedGiB(inPool, hazards.get(pool), regardlessOfHazard);
        if (w > wanted) {
          wanted = w;
          zone = pool.zone();
        }
      }
    }
    return keepRoom(fleet, wanted, zone, now);
  }

  /**
   * Launches spares in {@code zone} until their free room covers {@code wantedGiB}; releases
   * surplus ones that have been kept for at least the idle time, so that a fluctuating need does
   * not churn hosts.
   */
  public List<FleetDecision> keepRoom(
      List<HostView> fleet, double wantedGiB, String zone, Instant now) {
    List<FleetDecision> out = new ArrayList<>();
    List<HostView> spares =
        fleet.stream()
            .filter(HostView::spare)
            .sorted(Comparator.comparingDouble(HostView::freeGiB))
            .toList();
    double room = spares.stream().mapToDouble(HostView::freeGiB).sum();
    for (HostView s : spares) {
      if (room - s.freeGiB() >= wantedGiB - 1e-9
          && Duration.between(s.launchedAt(), now).compareTo(idle) >= 0) {
        room -= s.freeGiB();
        out.add(new FleetDecision.Release(s.id()));
      }
    }
    while (room < wantedGiB - 1e-9) {
      double agentGiB = Math.min(maxSpareRoomGiB, wantedGiB - room);
      out.add(new FleetDecision.LaunchSpare(zone, agentGiB));
      room += onDemandRoomGiB.applyAsDouble(agentGiB);
    }
    return out;
  }
}
