package io.spotnest.orchestrator.view;

import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.journal.JournalRecord.AgentLost;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.journal.JournalRecord.MoveFinished;
import io.spotnest.orchestrator.journal.JournalRecord.MoveStarted;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.ManagedHost;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.view.MoveRecord.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the model forgets and the views need: every move with its reason, time and pause, every lost
 * build, the terms agents were asked with, the reasons pools were closed (all from journal records,
 * so they survive a restart), each spot pool's risk at every tick and the cost so far (from this
 * process's ticks). Confined to the thread that drives the orchestrator.
 */
public final class FleetHistory implements Consumer<JournalRecord> {
  private final Clock clock;
  private final int maxRiskPoints;
  private final Map<String, MoveRecord> moves = new LinkedHashMap<>();
  private final List<LostRecord> lost = new ArrayList<>();
  private final Map<String, AgentRequested> terms = new HashMap<>();
  private final Map<PoolKey, Deque<PoolRiskSeries.Point>> risk = new LinkedHashMap<>();
  private Map<PoolKey, Double> latestRisk = Map.of();
  private Supplier<FleetState> state;
  private double costUsd;
  private double allOnDemandUsd;
  private Instant lastAccrual;
  private final Set<String> unpriced = new TreeSet<>();
  private final PoolClosures closures = new PoolClosures();

  /**
   * @param maxRiskPoints points kept per pool (the oldest are dropped)
   */
  public FleetHistory(Clock clock, int maxRiskPoints) {
    this.clock = clock;
    if (maxRiskPoints < 1) {
      throw new IllegalArgumentException("maxRiskPoints must be at least 1, got " + maxRiskPoints);
    }
    this.maxRiskPoints = maxRiskPoints;
  }

  /**
   * From now on records are live: stamped with the clock and the model's risk (replayed ones are
   * not).
   */
  public void live(Supplier<FleetState> model) {
    this.state = model;
  }

  @Override
  public void accept(JournalRecord r) {
    if (r instanceof AgentRequested q) {
      terms.put(q.agentId(), q);
    } else if (r instanceof JournalRecord.PoolClosed c) {
      closures.add(c, state == null ? null : clock.instant());
    } else if (r instanceof MoveStarted s) {
      moves.put(
          s.moveId(),
          new MoveRecord(
              s.moveId(),
              s.agentId(),
              s.from(),
              s.to(),
              s.at(),
              s.reason(),
              s.forced(),
              state == null ? null : riskOf(s.from()),
              Outcome.IN_FLIGHT,
              null,
              null,
              null,
              null));
    } else if (r instanceof MoveFinished f) {
      MoveRecord m = moves.get(f.moveId());
      if (m != null) {
        Duration took = f.took();
        if (took == null && state != null && m.startedAt() != null) {
          took = Duration.between(m.startedAt(), clock.instant());
        }
        Outcome outcome = f.runningOn().equals(m.to()) ? Outcome.MOVED : Outcome.STAYED;
        moves.put(m.moveId(), m.ended(outcome, f.runningOn(), took, f.paused(), f.detail()));
      }
    } else if (r instanceof AgentLost l) {
      for (MoveRecord m : List.copyOf(moves.values())) {
        if (m.agentId().equals(l.agentId()) && m.outcome() == Outcome.IN_FLIGHT) {
          moves.put(m.moveId(), m.ended(Outcome.LOST, null, null, null, l.reason()));
        }
      }
      lost.add(
          new LostRecord(
              l.agentId(),
              l.hostId(),
              l.reason(),
              l.requeuedAs(),
              l.at() != null ? l.at() : state == null ? null : clock.instant()));
      AgentRequested was = terms.get(l.agentId());
      if (l.requeuedAs() != null && was != null) {
        terms.put(
            l.requeuedAs(),
            new AgentRequested(
                l.requeuedAs(),
                was.ramMiB(),
                was.expectedBuild(),
                l.agentId(),
                was.template(),
                was.marketPolicy(),
                was.boot() == null ? null : was.boot().renamed(l.requeuedAs()),
                was.standingCopy(),
                was.copyRequest()));
      }
    }
  }

  /** Records each spot pool's risk of the tick at {@code now}. */
  public void sample(Instant now, Map<PoolKey, Double> poolRisk) {
    latestRisk = Map.copyOf(poolRisk);
    for (Map.Entry<PoolKey, Double> e : poolRisk.entrySet()) {
      Deque<PoolRiskSeries.Point> points =
          risk.computeIfAbsent(e.getKey(), k -> new ArrayDeque<>());
      points.addLast(new PoolRiskSeries.Point(now, e.getValue()));
      while (points.size() > maxRiskPoints) {
        points.removeFirst();
      }
    }
  }

  /**
   * Adds what the live hosts cost since the last call: spot hosts at their pool's spot price,
   * on-demand hosts and the all-on-demand comparison at the on-demand price of the instance type.
   * Hosts without a known price are noted.
   */
  public void accrue(Instant now, FleetState s, Map<PoolKey, MarketQuote> quotes) {
    Instant from = lastAccrual;
    lastAccrual = now;
    if (from == null || !now.isAfter(from)) {
      return;
    }
    double hours = Duration.between(from, now).toMillis() / 3_600_000.0;
    for (ManagedHost h : s.hosts()) {
      if (!h.live()) {
        continue;
      }
      Double onDemand = onDemandPrice(h.pool(), quotes);
      MarketQuote own = quotes.get(h.pool());
      Double paid =
          h.market() == Market.ON_DEMAND ? onDemand : own == null ? null : own.spotUsdPerHour();
      if (onDemand == null || paid == null) {
        unpriced.add(h.pool().toString());
        continue;
      }
      costUsd += paid * hours;
      allOnDemandUsd += onDemand * hours;
    }
  }

  /** The snapshot of {@code s} with this history, at {@code now}. */
  public FleetSnapshot snapshot(FleetState s, Instant now) {
    List<HostSnapshot> hosts = new ArrayList<>();
    for (ManagedHost h : s.hosts()) {
      if (h.live()) {
        double r = h.market() == Market.ON_DEMAND ? 0 : latestRisk.getOrDefault(h.pool(), 0.0);
        hosts.add(
            new HostSnapshot(
                h.id(),
                h.pool(),
                h.market(),
                h.phase(),
                r,
                List.copyOf(s.agentsOn(h.id())),
                h.noticeDeadline()));
      }
    }
    List<AgentSnapshot> agents = new ArrayList<>();
    for (Agent a : s.agents()) {
      if (a.phase() != AgentPhase.GONE) {
        AgentRequested t = terms.get(a.id());
        agents.add(
            new AgentSnapshot(
                a.id(),
                a.phase(),
                a.hostId(),
                a.ramMiB(),
                t == null ? null : t.template(),
                t == null ? null : t.marketPolicy(),
                a.busySince(),
                a.replaces()));
      }
    }
    List<PoolRiskSeries> series = new ArrayList<>();
    risk.forEach((pool, points) -> series.add(new PoolRiskSeries(pool, List.copyOf(points))));
    series.sort(java.util.Comparator.comparing(p -> p.pool().toString()));
    List<String> notes = new ArrayList<>();
    if (!unpriced.isEmpty()) {
      notes.add("no price known for " + String.join(", ", unpriced) + ": left out of the cost");
    }
    return new FleetSnapshot(
        now,
        hosts,
        agents,
        series,
        closures.statuses(s, now, risk.keySet(), this::lastRisk),
        List.copyOf(moves.values()),
        lost,
        new CostSoFar(costUsd, allOnDemandUsd),
        notes);
  }

  private Double lastRisk(PoolKey pool) {
    Deque<PoolRiskSeries.Point> points = risk.get(pool);
    return points == null || points.isEmpty() ? null : points.getLast().risk();
  }

  private Double riskOf(String hostId) {
    return state
        .get()
        .findHost(hostId)
        .map(h -> h.market() == Market.ON_DEMAND ? Double.valueOf(0) : latestRisk.get(h.pool()))
        .orElse(null);
  }

  private static Double onDemandPrice(PoolKey pool, Map<PoolKey, MarketQuote> quotes) {
    MarketQuote own = quotes.get(pool);
    if (own != null && own.onDemandUsdPerHour() > 0) {
      return own.onDemandUsdPerHour();
    }
    for (MarketQuote q : quotes.values()) {
      if (q.pool().instanceType().equals(pool.instanceType()) && q.onDemandUsdPerHour() > 0) {
        return q.onDemandUsdPerHour();
      }
    }
    return null;
  }
}
