package io.spotnest.strategy.fleet;

import io.spotnest.strategy.policy.AgentContext;
import io.spotnest.strategy.policy.MigrationPolicy;
import io.spotnest.strategy.signal.PoolId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Which agents keep a standing copy (issue 12 Part C): one {@link CopyDecision} per agent of every
 * spot host without a notice. In {@link CopyMode#HAZARD} an agent keeps one when {@link
 * MigrationPolicy#wantsStandingCopy} says its expected loss beats the copy's cost ({@link
 * CopyMode#AT_RISK}: the same, over the agents that did not ask too); in {@link CopyMode#ALWAYS}
 * every agent on spot does. A host's link keeps up with at most {@code copiesPerHost} streams (each
 * needs the guest's dirty rate), so beyond that the agents with the most to lose keep theirs and
 * the rest are told no. The simulator runs exactly this code for our strategy.
 */
public final class StandingCopyPlan {
  private final MigrationPolicy policy;
  private final CopyMode mode;
  private final double copyCostPerHour;
  private final int copiesPerHost;

  /**
   * @param copyCostPerHour one copy's cost per hour (its share of a backup host and its stream's
   *     traffic), in the policy's cost units
   * @param copiesPerHost standing streams one host's link keeps up with
   */
  public StandingCopyPlan(
      MigrationPolicy policy, CopyMode mode, double copyCostPerHour, int copiesPerHost) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.mode = Objects.requireNonNull(mode, "mode");
    if (!(copyCostPerHour >= 0) || Double.isInfinite(copyCostPerHour)) {
      throw new IllegalArgumentException(
          "copyCostPerHour must be a finite number >= 0, got " + copyCostPerHour);
    }
    if (copiesPerHost < 0) {
      throw new IllegalArgumentException("copiesPerHost must be >= 0, got " + copiesPerHost);
    }
    this.copyCostPerHour = copyCostPerHour;
    this.copiesPerHost = copiesPerHost;
  }

  public CopyMode mode() {
    return mode;
  }

  /**
   * The fleet with only the agents that asked for a standing copy ({@code asked} by agent id; the
   * orchestrator's template box, the simulator's {@code CopyWish}), each host as full as before:
   * what {@link #decide} sees, so that an agent that did not ask gets no decision, no copy and
   * takes none of its host link's copy streams. In {@link CopyMode#AT_RISK} pass the agents that
   * may be copied: those that asked and those that left it to the fleet.
   */
  public static List<HostView> onlyAsking(List<HostView> fleet, Predicate<String> asked) {
    List<HostView> out = new ArrayList<>();
    for (HostView h : fleet) {
      out.add(
          new HostView(
              h.id(),
              h.pool(),
              h.zone(),
              h.capacityGiB(),
              h.usedGiB(),
              h.readyAt(),
              h.cordoned(),
              h.notified(),
              h.inbound(),
              h.spare(),
              h.launchedAt(),
              h.agents().stream().filter(a -> asked.test(a.id())).toList()));
    }
    return out;
  }

  /** One decision per agent on a spot host without a notice, hosts in the given order. */
  public List<CopyDecision> decide(List<HostView> fleet, List<PoolOffer> pools, Instant now) {
    return decide(fleet, pools, now, new HashMap<>());
  }

  /**
   * As {@link #decide(List, List, Instant)} at the marginal cost of a copy (in {@link
   * CopyMode#HAZARD}): an agent that holds a copy ({@code hasCopy}) or finds a free backup slot in
   * its zone ({@code freeSlots} by zone) pays the copy's share as before; the others of a zone need
   * new backups, each holding up to {@code copiesPerBackup} and costing {@code backupCostPerHour},
   * and keep a copy only when each one's expected loss per hour beats that cost divided among the
   * agents it would hold.
   */
  public List<CopyDecision> decide(
      List<HostView> fleet,
      List<PoolOffer> pools,
      Instant now,
      Predicate<String> hasCopy,
      Map<String, Integer> freeSlots,
      double backupCostPerHour,
      int copiesPerBackup) {
    Map<String, Double> lossPerHour = new HashMap<>();
    List<CopyDecision> shared = decide(fleet, pools, now, lossPerHour);
    if (mode != CopyMode.HAZARD && mode != CopyMode.AFFORDABLE && mode != CopyMode.AT_RISK) {
      return shared;
    }
    Map<String, String> zoneOf = new HashMap<>();
    for (HostView h : fleet) {
      zoneOf.put(h.id(), h.zone());
    }
    Map<String, List<CopyDecision>> newByZone = new TreeMap<>();
    for (CopyDecision d : shared) {
      if (d.keep() && !hasCopy.test(d.agentId()) && d.basis() != CopyDecision.Basis.AFFORDABLE) {
        newByZone.computeIfAbsent(zoneOf.get(d.hostId()), z -> new ArrayList<>()).add(d);
      }
    }
    Map<String, CopyDecision> refused = new HashMap<>();
    for (Map.Entry<String, List<CopyDecision>> e : newByZone.entrySet()) {
      List<CopyDecision> rest = new ArrayList<>(e.getValue());
      rest.sort(Comparator.comparingDouble((CopyDecision d) -> -lossPerHour.get(d.agentId())));
      rest =
          rest.subList(Math.min(rest.size(), freeSlots.getOrDefault(e.getKey(), 0)), rest.size());
      while (!rest.isEmpty()) {
        int batch = 0;
        for (int m = Math.min(copiesPerBackup, rest.size()); m >= 1; m--) {
          if (lossPerHour.get(rest.get(m - 1).agentId()) > backupCostPerHour / m) {
            batch = m;
            break;
          }
        }
        if (batch == 0) {
          for (CopyDecision d : rest) {
            refused.put(d.agentId(), d);
          }
          break;
        }
        rest = rest.subList(batch, rest.size());
      }
    }
    List<CopyDecision> out = new ArrayList<>();
    for (CopyDecision d : shared) {
      out.add(
          refused.containsKey(d.agentId())
              ? new CopyDecision(
                  d.agentId(),
                  d.hostId(),
                  false,
                  CopyDecision.Basis.LOSS_BELOW_NEW_BACKUP,
                  "expected loss below a new backup's cost")
              : d);
    }
    return out;
  }

  private List<CopyDecision> decide(
      List<HostView> fleet, List<PoolOffer> pools, Instant now, Map<String, Double> lossPerHour) {
    Map<PoolId, PoolOffer> byPool = new HashMap<>();
    for (PoolOffer p : pools) {
      byPool.putIfAbsent(p.pool(), p);
    }
    List<CopyDecision> out = new ArrayList<>();
    for (HostView host : fleet) {
      if (!host.spot() || host.notified() || host.agents().isEmpty()) {
        continue;
      }
      PoolOffer pool = byPool.get(host.pool().get());
      List<AgentView> wanted = new ArrayList<>();
      List<AgentView> affordableOf = new ArrayList<>();
      Map<AgentView, Double> loss = new HashMap<>();
      for (AgentView a : host.agents()) {
        AgentContext c =
            new AgentContext(
                now,
                a.ramGiB(),
                a.elapsed(),
                a.remaining(),
                host.pool().get(),
                pool.hazard(),
                pool.spotToOnDemand(),
                host.usedGiB(),
                Duration.ZERO,
                Optional.empty());
        loss.put(a, policy.expectedLossWithin(c, Duration.ofHours(1)));
        Duration horizon =
            a.remaining().compareTo(Duration.ofHours(1)) < 0 ? a.remaining() : Duration.ofHours(1);
        lossPerHour.put(
            a.id(),
            horizon.isZero() || horizon.isNegative()
                ? 0
                : policy.expectedLossWithin(c, horizon) / (horizon.toMillis() / 3_600_000.0));
        boolean affordable =
            mode == CopyMode.AFFORDABLE
                && copyCostPerHour < a.ramGiB() * (1 - pool.spotToOnDemand());
        boolean want =
            mode == CopyMode.ALWAYS
                || affordable
                || (mode != CopyMode.OFF && policy.wantsStandingCopy(c, copyCostPerHour));
        if (want && !a.migrating()) {
          wanted.add(a);
        }
        if (affordable) {
          affordableOf.add(a);
        }
      }
      wanted.sort(Comparator.comparingDouble((AgentView a) -> -loss.get(a)));
      List<AgentView> kept = wanted.subList(0, Math.min(copiesPerHost, wanted.size()));
      for (AgentView a : host.agents()) {
        String why;
        CopyDecision.Basis basis;
        if (kept.contains(a)) {
          basis =
              affordableOf.contains(a)
                  ? CopyDecision.Basis.AFFORDABLE
                  : CopyDecision.Basis.PROTECTED;
          why =
              mode == CopyMode.ALWAYS
                  ? "every agent on spot"
                  : affordableOf.contains(a)
                      ? "the copy costs less than the spot saving"
                      : "expected loss above the copy's cost";
        } else if (wanted.contains(a)) {
          basis = CopyDecision.Basis.HOST_LINK_FULL;
          why = "the host link keeps up with " + copiesPerHost + " standing streams";
        } else if (a.migrating()) {
          basis = CopyDecision.Basis.MIGRATING;
          why = "migrating";
        } else if (mode == CopyMode.OFF) {
          basis = CopyDecision.Basis.OFF;
          why = "standing copies off";
        } else {
          basis = CopyDecision.Basis.LOSS_BELOW_COST;
          why = "expected loss below the copy's cost";
        }
        out.add(new CopyDecision(a.id(), host.id(), kept.contains(a), basis, why));
      }
    }
    return out;
  }
}
