package io.spotnest.orchestrator.placement;

import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.ManagedHost;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.MarketPolicy;
import io.spotnest.orchestrator.model.MemoryBacking;
import io.spotnest.orchestrator.model.PoolKey;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Chooses hosts: new agents go to ready spot hosts in pools below the risk limit, lowest risk
 * first, then to on-demand, as far as their {@link MarketPolicy} allows (a spot-only agent never
 * goes on-demand, an on-demand-only agent never on spot, a prefer-spot agent goes on-demand only
 * when no spot host has room); evacuated agents go to the safest ready host other than their own
 * (never spot for an on-demand-only agent). Within a choice, the fullest host that still fits wins
 * (best fit), so agents pack and empty hosts can be retired. A VM that runs from a shared file
 * (flushed from a file-backed standby) takes its file along wherever it moves, so it moves only to
 * a host whose standby store has room for it, as a file-backed standby goes only to such a backup.
 */
public final class Placement {
  private final Limits limits;
  private final long standbyStoreMiB;

  /**
   * @param standbyStoreMiB room for standby files on each host ({@link
   *     io.spotnest.orchestrator.tick.FleetConfig#standbyStoreMiB}; 0: none)
   */
  public Placement(Limits limits, long standbyStoreMiB) {
    this.limits = limits;
    this.standbyStoreMiB = standbyStoreMiB;
  }

  /**
   * A host for a new agent of {@code ramMiB}, or empty when none has room (then a host must be
   * launched).
   */
  public Optional<String> hostForNewAgent(long ramMiB, FleetState s, Map<PoolKey, Double> risk) {
    return hostForNewAgent(ramMiB, MarketPolicy.PREFER_SPOT, s, risk);
  }

  /**
   * A host for a new agent of {@code ramMiB} on a market {@code policy} allows, spot first, or
   * empty when none has room (then it waits for a launch).
   */
  public Optional<String> hostForNewAgent(
      long ramMiB, MarketPolicy policy, FleetState s, Map<PoolKey, Double> risk) {
    Candidate best = null;
    for (ManagedHost h : s.hosts()) {
      Candidate c = policy.allows(h.market()) ? candidate(h, ramMiB, s, risk) : null;
      if (c != null && (best == null || NEW_AGENT.compare(c, best) < 0)) {
        best = c;
      }
    }
    return Optional.ofNullable(best).map(c -> c.host().id());
  }

  /**
   * A destination for moving {@code agent} off its host, never one in {@code avoid}, with room for
   * it in RAM and, for a VM running from a shared file, in the standby store.
   */
  public Optional<String> destinationFor(
      Agent agent, FleetState s, Map<PoolKey, Double> risk, Set<String> avoid) {
    return safestFor(
        agent,
        s,
        risk,
        avoid,
        sharedFile(agent),
        h -> h.capacityMiB() - s.usedMiB(h.id()) - agent.ramMiB());
  }

  /**
   * The safest host other than {@code agent}'s own, not in {@code avoid}, that its policy allows,
   * by what each would have left ({@code freeAfter}, negative: no room); when {@code inStore}, only
   * one whose standby store has room for the agent's memory.
   */
  private Optional<String> safestFor(
      Agent agent,
      FleetState s,
      Map<PoolKey, Double> risk,
      Set<String> avoid,
      boolean inStore,
      ToLongFunction<ManagedHost> freeAfter) {
    Candidate best = null;
    for (ManagedHost h : s.hosts()) {
      if (h.id().equals(agent.hostId())
          || avoid.contains(h.id())
          || !movableTo(agent, h)
          || (inStore && !storeHasRoom(h.id(), agent, s))) {
        continue;
      }
      Candidate c = leaving(h, freeAfter.applyAsLong(h), risk);
      if (c != null && (best == null || SAFEST.compare(c, best) < 0)) {
        best = c;
      }
    }
    return Optional.ofNullable(best).map(c -> c.host().id());
  }

  /**
   * A backup for a standing copy of {@code agent}, chosen as {@link #destinationFor} chooses a
   * move's destination, by the room the copy takes there: a standby in RAM its whole memory, a
   * file-backed one ({@code fileStandby}) its memory in the host's standby store (at most the
   * store's size in all, {@link FleetState#standbyFileMiB}) and RAM only as far as it makes its
   * source's file-backed standbys there the largest ({@link FleetState#usedMiBWithCopy}).
   */
  public Optional<String> backupFor(
      Agent agent,
      boolean fileStandby,
      FleetState s,
      Map<PoolKey, Double> risk,
      Set<String> avoid) {
    return safestFor(
        agent,
        s,
        risk,
        avoid,
        fileStandby || sharedFile(agent),
        h ->
            h.capacityMiB()
                - s.usedMiBWithCopy(h.id(), agent.hostId(), agent.ramMiB(), fileStandby));
  }

  /**
   * Whether {@code hostId} can take {@code agent} now: ready, with room (in its standby store too
   * for a VM running from a shared file), not its own host and not in {@code avoid} (the strategy
   * that named it has judged its risk).
   */
  public boolean canTake(String hostId, Agent agent, FleetState s, Set<String> avoid) {
    ManagedHost h = s.findHost(hostId).orElse(null);
    return h != null
        && !hostId.equals(agent.hostId())
        && !avoid.contains(hostId)
        && movableTo(agent, h)
        && h.phase().placeable()
        && h.noticeDeadline() == null
        && h.capacityMiB() - s.usedMiB(hostId) >= agent.ramMiB()
        && (!sharedFile(agent) || storeHasRoom(hostId, agent, s));
  }

  /**
   * Whether an empty new host could take {@code agent} on a move: always, unless it runs from a
   * shared file larger than a host's whole standby store (then launching is no help).
   */
  public boolean newHostCouldTake(Agent agent) {
    return !sharedFile(agent) || agent.ramMiB() <= standbyStoreMiB;
  }

  /** Whether the agent's VM runs from a shared file, which libvirt carries along on a move. */
  private static boolean sharedFile(Agent agent) {
    return agent.memory() == MemoryBacking.SHARED_FILE;
  }

  /** Whether the standby store of {@code hostId} has room for the agent's memory as a file. */
  private boolean storeHasRoom(String hostId, Agent agent, FleetState s) {
    return s.standbyFileMiB(hostId) + agent.ramMiB() <= standbyStoreMiB;
  }

  /**
   * Whether a move may take {@code agent} to {@code h}: an on-demand-only agent never goes to spot.
   * A spot-only agent may be rescued onto on-demand (a lost build costs more than the hours).
   */
  private static boolean movableTo(Agent agent, ManagedHost h) {
    return agent.policy() != MarketPolicy.ON_DEMAND_ONLY || h.market() == Market.ON_DEMAND;
  }

  /** A ready host with room and acceptable risk, or null. Unknown spot risk counts as too risky. */
  private Candidate candidate(ManagedHost h, long ramMiB, FleetState s, Map<PoolKey, Double> risk) {
    return leaving(h, h.capacityMiB() - s.usedMiB(h.id()) - ramMiB, risk);
  }

  /**
   * As {@link #candidate}, {@code freeAfter} being what the host has left once it took what is
   * placed (negative: no room).
   */
  private Candidate leaving(ManagedHost h, long freeAfter, Map<PoolKey, Double> risk) {
    if (!h.phase().placeable() || freeAfter < 0) {
      return null;
    }
    double r = h.market() == Market.ON_DEMAND ? 0 : risk.getOrDefault(h.pool(), Double.NaN);
    if (h.market() == Market.SPOT && !(r <= limits.maxSpotRisk())) {
      return null;
    }
    return new Candidate(h, r, freeAfter);
  }

  private record Candidate(ManagedHost host, double risk, long freeAfter) {
    boolean spot() {
      return host.market() == Market.SPOT;
    }
  }

  private static final Comparator<Candidate> SAFEST =
      Comparator.comparingDouble(Candidate::risk).thenComparingLong(Candidate::freeAfter);
  private static final Comparator<Candidate> NEW_AGENT =
      Comparator.comparing((Candidate c) -> !c.spot()).thenComparing(SAFEST);
}
