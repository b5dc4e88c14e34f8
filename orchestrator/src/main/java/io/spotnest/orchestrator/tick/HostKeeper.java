package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.journal.JournalRecord.HostLaunchRequested;
import io.spotnest.orchestrator.journal.JournalRecord.HostLaunched;
import io.spotnest.orchestrator.journal.JournalRecord.HostPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.HostTerminationRequested;
import io.spotnest.orchestrator.journal.JournalRecord.PoolClosed;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.ClosureKind;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.ManagedHost;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.FailedLaunch;
import io.spotnest.orchestrator.port.HostFleet;
import io.spotnest.orchestrator.port.HostOrder;
import io.spotnest.orchestrator.port.LaunchFailureCause;
import io.spotnest.orchestrator.port.ObservedHost;
import io.spotnest.orchestrator.signal.SignalBook;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the model's hosts in line with the cloud: launches become ready when listed (or are given
 * up after the launch timeout), hosts missing from the listing are lost, hosts tagged as ours but
 * unknown to the journal (orphans) are terminated, and so is a host the model has as gone that the
 * cloud still lists (reported gone wrongly) once no move touches it and no agent is on it; launches
 * what the waiting agents, evacuations and the warm pool need; retires empty hosts that take no
 * agents.
 */
public final class HostKeeper {
  private static final System.Logger LOG = System.getLogger(HostKeeper.class.getName());
  private final Recorder recorder;
  private final HostFleet fleet;
  private final HostLoss loss;
  private final SignalBook signals;
  private final FleetConfig config;
  private final Ids ids;
  private final Clock clock;

  public HostKeeper(
      Recorder recorder,
      HostFleet fleet,
      HostLoss loss,
      SignalBook signals,
      FleetConfig config,
      Ids ids,
      Clock clock) {
    this.clock = clock;
    this.recorder = recorder;
    this.fleet = fleet;
    this.loss = loss;
    this.signals = signals;
    this.config = config;
    this.ids = ids;
  }

  /**
   * What one comparison with the cloud found: whether the listing worked, and whether it matched
   * the model.
   */
  public record Observation(boolean listed, boolean agreed) {}

  /** Compares the model with the cloud listing and fixes the model (and orphans). */
  public Observation observe(Instant now) {
    List<ObservedHost> listed;
    try {
      listed = fleet.list();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cannot list hosts; no voluntary action until it works", e);
      return new Observation(false, false);
    }
    FleetState s = recorder.state();
    boolean agreed = true;
    Map<String, ObservedHost> byId = new HashMap<>();
    Map<String, ObservedHost> byKey = new HashMap<>();
    for (ObservedHost o : listed) {
      byId.put(o.id(), o);
      byKey.put(o.launchKey(), o);
    }
    Map<String, FailedLaunch> failed = failedLaunches();
    for (ManagedHost h : new ArrayList<>(s.launching())) {
      ObservedHost o = byKey.get(h.launchKey());
      FailedLaunch f = failed.get(h.launchKey());
      if (o == null && f != null) {
        if (h.market() == Market.SPOT) {
          closeAfterFailedLaunch(h.pool(), f, now);
        }
        recorder.record(
            new HostPhaseChanged(h.launchKey(), HostPhase.GONE, "launch failed: " + f.reason()));
      } else if (o != null && o.running()) {
        recorder.record(new HostLaunched(h.launchKey(), o.id()));
      } else if (!s.launchRequestedAt(h.launchKey()).plus(config.launchTimeout()).isAfter(now)) {
        // given up; if the host shows up (now or later) it is an orphan and is terminated below
        recorder.record(
            new HostPhaseChanged(
                h.launchKey(),
                HostPhase.GONE,
                "launch not running after " + config.launchTimeout()));
      }
    }
    for (ManagedHost h : new ArrayList<>(s.hosts())) {
      if (!h.live() || byId.containsKey(h.id())) {
        continue;
      }
      if (h.terminatedByUs()) {
        recorder.record(new HostPhaseChanged(h.id(), HostPhase.GONE, "terminated by us"));
      } else {
        agreed = false;
        signals.reclaimed(h.pool(), h.id(), now);
        loss.lost(h, "missing from the cloud listing", now);
      }
    }
    for (ObservedHost o : listed) {
      Optional<ManagedHost> modelled = s.findHost(o.id());
      boolean known =
          modelled.isPresent()
              || s.launching().stream().anyMatch(h -> h.launchKey().equals(o.launchKey()));
      if (modelled.isPresent() && !modelled.get().live() && untouched(o.id(), s)) {
        if (!s.terminationRequested(o.id())) {
          recorder.record(
              new HostTerminationRequested(
                  o.id(),
                  "gone in the journal but still listed; no move or agent of the model on it"));
        }
        fleet.terminate(o.id());
      } else if (!known) {
        agreed = false;
        if (!s.terminationRequested(o.id())) {
          recorder.record(
              new HostTerminationRequested(
                  o.id(),
                  "orphan: tagged as ours (launch key "
                      + o.launchKey()
                      + ") but unknown to the journal"));
        }
        fleet.terminate(o.id());
      }
    }
    return new Observation(true, agreed);
  }

  /** Whether no move touches {@code hostId} and no agent of the model is on it. */
  private static boolean untouched(String hostId, FleetState s) {
    return s.agentsOn(hostId).isEmpty()
        && s.moves().stream().noneMatch(m -> m.from().equals(hostId) || m.to().equals(hostId));
  }

  /**
   * Launches hosts for what waits: on-demand for evacuations (and standing copies' backups) and the
   * warm pool, the safest spot pool (else on-demand) for new agents. Capacity already launching
   * counts. Never beyond the host limit.
   */
  public int launchFor(long evacuationMiB, long newAgentMiB, Map<PoolKey, Double> risk) {
    return launchFor(evacuationMiB, new Demand(0, 0, newAgentMiB), risk, 0);
  }

  /**
   * As above, for new agents by their market policy: spot-only ones get the safest acceptable spot
   * pool (none when no pool is acceptable: they wait), on-demand-only ones on-demand, prefer-spot
   * ones the safest spot pool, else on-demand; plus {@code spares} on-demand hosts the strategy
   * asked for ahead of notices (it counts the spares that exist or are launching already).
   */
  public int launchFor(
      long evacuationMiB, Demand newAgents, Map<PoolKey, Double> risk, int spares) {
    FleetState s = recorder.state();
    long odPending = 0;
    long spotPending = 0;
    int odLaunching = 0;
    for (ManagedHost h : s.launching()) {
      if (h.market() == Market.ON_DEMAND) {
        odPending += h.capacityMiB();
        odLaunching++;
      } else {
        spotPending += h.capacityMiB();
      }
    }
    int launched = 0;
    HostOrder od = onDemandOffer();
    while (evacuationMiB > odPending && launch(od)) {
      odPending += od.capacityMiB();
      odLaunching++;
      launched++;
    }
    long emptyOd = emptyReadyOnDemand(s) + odLaunching;
    for (long w = emptyOd; w < config.warmOnDemand() && launch(od); w++) {
      odPending += od.capacityMiB();
      launched++;
    }
    for (int i = 0; i < spares && launch(od); i++) {
      odPending += od.capacityMiB();
      launched++;
    }
    long spotFree = spotPending;
    long odFree = Math.max(0, odPending - evacuationMiB);
    Optional<HostOrder> spot = spotOffer(risk);
    while (newAgents.spotMiB() > spotFree && spot.isPresent() && launch(spot.get())) {
      spotFree += spot.get().capacityMiB();
      launched++;
    }
    while (newAgents.onDemandMiB() > odFree && launch(od)) {
      odFree += od.capacityMiB();
      launched++;
    }
    long forEither =
        Math.max(0, spotFree - newAgents.spotMiB()) + Math.max(0, odFree - newAgents.onDemandMiB());
    HostOrder either = spot.orElse(od);
    while (newAgents.eitherMiB() > forEither && launch(either)) {
      forEither += either.capacityMiB();
      launched++;
    }
    return launched;
  }

  /**
   * Launches one spot host in each of {@code pools} that has an offer (for moves back); never
   * beyond the host limit.
   */
  public int launchSpot(List<PoolKey> pools) {
    int launched = 0;
    for (PoolKey pool : pools) {
      Optional<HostOrder> offer =
          config.offers().stream()
              .filter(o -> o.market() == Market.SPOT && o.pool().equals(pool))
              .findFirst();
      if (offer.isPresent()
          && recorder.state().poolOpen(pool, clock.instant())
          && launch(offer.get())) {
        launched++;
      }
    }
    return launched;
  }

  /**
   * Closes {@code pool} (journaled first, so that a restart after the launch is gone still keeps it
   * closed) for the hold its failure's kind calls for; a used-up quota closes every spot pool
   * offered, since none can succeed (those closed for at least as long already are left alone).
   */
  private void closeAfterFailedLaunch(PoolKey pool, FailedLaunch f, Instant now) {
    ClosureKind kind = kindOf(f.cause());
    Instant until = now.plus(config.holdFor(kind));
    List<PoolKey> pools = new ArrayList<>(List.of(pool));
    if (kind == ClosureKind.QUOTA) {
      config.offers().stream()
          .filter(o -> o.market() == Market.SPOT && !pools.contains(o.pool()))
          .map(HostOrder::pool)
          .filter(p -> recorder.state().closedUntil(p).map(u -> u.isBefore(until)).orElse(true))
          .distinct()
          .forEach(pools::add);
    }
    for (PoolKey p : pools) {
      recorder.record(
          new PoolClosed(p, until, "spot launch failed: " + f.reason(), null, now, kind));
    }
    LOG.log(
        Level.WARNING,
        "spot launch in {0} failed ({1}: {2}); no launch in {3} for {4}",
        pool,
        kind,
        f.reason(),
        pools,
        config.holdFor(kind));
  }

  private static ClosureKind kindOf(LaunchFailureCause cause) {
    return switch (cause) {
      case NO_CAPACITY -> ClosureKind.NO_CAPACITY;
      case UNSUPPORTED -> ClosureKind.UNSUPPORTED;
      case QUOTA -> ClosureKind.QUOTA;
      case OTHER -> ClosureKind.LAUNCH_FAILED;
    };
  }

  private Map<String, FailedLaunch> failedLaunches() {
    Map<String, FailedLaunch> out = new HashMap<>();
    try {
      fleet.failedLaunches().forEach(f -> out.put(f.launchKey(), f));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "cannot read failed launches; they time out instead", e);
    }
    return out;
  }

  /**
   * Terminates the spares the strategy released: each only when it is ready, empty, untouched by
   * any move and not one of the {@link FleetConfig#warmOnDemand()} empty on-demand hosts the
   * configuration keeps warm; the termination is journaled before the call. Others are logged and
   * kept.
   */
  public int release(List<String> hostIds) {
    int released = 0;
    for (String id : hostIds) {
      FleetState s = recorder.state();
      Optional<ManagedHost> found = s.findHost(id);
      String refusal = found.isEmpty() ? "unknown host" : refusal(found.get(), s);
      if (refusal != null) {
        LOG.log(Level.INFO, "release of {0} ignored: {1}", id, refusal);
        continue;
      }
      terminate(found.get(), "released: spare not needed", "released spare");
      released++;
    }
    return released;
  }

  /** Ready, empty on-demand hosts not being terminated: the warm pool as it stands. */
  private static long emptyReadyOnDemand(FleetState s) {
    return s.hosts().stream()
        .filter(
            h ->
                h.market() == Market.ON_DEMAND
                    && h.phase() == HostPhase.READY
                    && !h.terminatedByUs()
                    && s.usedMiB(h.id()) == 0)
        .count();
  }

  /** Why {@code h} cannot be released now, or null when it can. */
  private String refusal(ManagedHost h, FleetState s) {
    if (h.phase() != HostPhase.READY || h.terminatedByUs()) {
      return "host is " + h.phase() + (h.terminatedByUs() ? " (terminating)" : "");
    }
    if (!s.agentsOn(h.id()).isEmpty() || s.usedMiB(h.id()) > 0) {
      return "host has agents";
    }
    if (s.moves().stream().anyMatch(m -> m.to().equals(h.id()) || m.from().equals(h.id()))) {
      return "a move touches the host";
    }
    if (h.market() == Market.ON_DEMAND && emptyReadyOnDemand(s) <= config.warmOnDemand()) {
      return "the configured warm pool keeps " + config.warmOnDemand() + " empty on-demand hosts";
    }
    return null;
  }

  /**
   * Terminates empty hosts that take no agents (at risk or draining) and have no move touching
   * them.
   */
  public int retireEmpty() {
    FleetState s = recorder.state();
    int retired = 0;
    for (ManagedHost h : new ArrayList<>(s.hosts())) {
      boolean closed = h.phase() == HostPhase.AT_RISK || h.phase() == HostPhase.DRAINING;
      if (!closed || h.terminatedByUs() || !s.agentsOn(h.id()).isEmpty() || s.usedMiB(h.id()) > 0) {
        continue;
      }
      terminate(h, "retiring: empty and closed", "empty");
      retired++;
    }
    return retired;
  }

  /**
   * Drains {@code h} (unless it already drains) and asks for its termination, both journaled before
   * the cloud is called.
   */
  private void terminate(ManagedHost h, String drainReason, String why) {
    if (h.phase() != HostPhase.DRAINING) {
      recorder.record(new HostPhaseChanged(h.id(), HostPhase.DRAINING, drainReason));
    }
    recorder.record(new HostTerminationRequested(h.id(), why));
    fleet.terminate(h.id());
  }

  /**
   * Re-issues the calls a crash may have cut off: launches still pending, terminations asked for.
   * Idempotent.
   */
  public void resumeIntents() {
    FleetState s = recorder.state();
    for (ManagedHost h : s.launching()) {
      fleet.launch(h.launchKey(), new HostOrder(h.pool(), h.market(), h.capacityMiB()));
    }
    for (ManagedHost h : s.hosts()) {
      if (h.live() && h.terminatedByUs()) {
        fleet.terminate(h.id());
      }
    }
  }

  /**
   * At-risk hosts without a notice become ready again once their pool is calm and no rebalance is
   * recent; never a host that agents are being moved off ({@code evacuating}).
   */
  public void calm(Map<PoolKey, Double> risk, Set<String> evacuating, Instant now) {
    for (ManagedHost h : new ArrayList<>(recorder.state().hosts())) {
      if (h.phase() != HostPhase.AT_RISK
          || h.noticeDeadline() != null
          || evacuating.contains(h.id())) {
        continue;
      }
      double r = h.market() == Market.ON_DEMAND ? 0 : risk.getOrDefault(h.pool(), 1.0);
      Optional<Instant> rebalance = signals.rebalanceOf(h.id());
      boolean recent =
          rebalance.isPresent() && rebalance.get().plus(config.rebalanceHold()).isAfter(now);
      if (r <= config.riskCalm() && !recent) {
        recorder.record(new HostPhaseChanged(h.id(), HostPhase.READY, "risk subsided"));
      }
    }
  }

  private boolean launch(HostOrder o) {
    if (recorder.state().liveHosts() >= config.limits().maxHosts()) {
      return false;
    }
    String key = ids.next("launch");
    recorder.record(
        new HostLaunchRequested(key, o.pool(), o.market(), o.capacityMiB(), clock.instant()));
    fleet.launch(key, o);
    return true;
  }

  private HostOrder onDemandOffer() {
    return config.offers().stream()
        .filter(o -> o.market() == Market.ON_DEMAND)
        .findFirst()
        .orElseThrow();
  }

  /** The spot offer in the safest pool at acceptable risk, if any. */
  private Optional<HostOrder> spotOffer(Map<PoolKey, Double> risk) {
    HostOrder best = null;
    double bestRisk = Double.MAX_VALUE;
    for (HostOrder o : config.offers()) {
      Double r = risk.get(o.pool());
      if (o.market() == Market.SPOT
          && recorder.state().poolOpen(o.pool(), clock.instant())
          && r != null
          && r <= config.limits().maxSpotRisk()
          && r < bestRisk) {
        best = o;
        bestRisk = r;
      }
    }
    return Optional.ofNullable(best);
  }
}
