package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static io.spotnest.orchestrator.testing.States.SPOT_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.placement.Limits;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.testing.FakeWorld.PacedMove;
import io.spotnest.orchestrator.testing.Rig;
import io.spotnest.strategy.policy.MigrationAssumptions;
import io.spotnest.strategy.policy.MigrationTimeEstimator;
import io.spotnest.strategy.policy.ParametricMigrationEstimator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 item 7, last case: 20 notices in the same tick with a warm on-demand pool. Moves take the
 * policy's estimated time on a c8i.2xlarge's baseline link (3.125 Gbit/s, the stream at the
 * measured efficiency, a compile-like guest dirtying 64 MiB/s), slowed by the moves sharing the
 * busier of their two hosts; the clock advances tick by tick.
 */
class BurstEvacuationTest {
  private static final int HOSTS = 20;
  private static final long AGENT_MIB = 2048;
  private static final Duration TICK = Duration.ofSeconds(5);
  private static final Duration NOTICE = Duration.ofMinutes(2);
  private static final MigrationTimeEstimator ESTIMATOR =
      new ParametricMigrationEstimator(
          new MigrationAssumptions(3.125, MigrationAssumptions.MEASURED_EFFICIENCY, 64));

  private final Rig rig = new Rig();
  private final List<String> agents = new ArrayList<>();
  private final List<TickReport> reports = new ArrayList<>();

  /**
   * 20 spot hosts with a busy agent each, the warm pool launched and ready, then 20 notices;
   * returns when they were given.
   */
  private Instant burst(int warm, Limits limits) {
    rig.limits = limits;
    rig.warm = warm;
    for (int i = 0; i < HOSTS; i++) {
      String h = rig.host(i % 2 == 0 ? SPOT_A : SPOT_B, Market.SPOT);
      agents.add(rig.agent(h, AGENT_MIB, true));
    }
    rig.world.pace(ESTIMATOR);
    rig.start();
    tick(); // launches the warm pool
    tick(); // the warm hosts are listed: ready before any notice
    assertEquals(warm, readyOnDemand(), "the configured warm pool is ready");
    rig.world.launchRuns(false); // from now on a launch takes longer than the notice
    Instant notice = rig.clock.instant();
    Instant deadline = notice.plus(NOTICE);
    for (Agent a : rig.o().state().agents()) {
      rig.world.event(
          new FleetEvent.Notice(
              rig.world.nextEventId(), a.hostId(), "sqs", rig.clock.instant(), deadline));
    }
    return notice;
  }

  private void tick() {
    rig.world.now(rig.clock.instant());
    reports.add(rig.o().tick());
    rig.clock.advance(TICK);
  }

  private long readyOnDemand() {
    return rig.o().state().hosts().stream()
        .filter(h -> h.market() == Market.ON_DEMAND && h.phase().placeable())
        .count();
  }

  @Test
  void twentyNoticesAtOnceWithAWarmPoolAllStartInTimeWithinTheMigrationLimits() {
    Instant notice = burst(5, new Limits(40, 200, 2, 1, 0.2));
    Instant deadline = notice.plus(NOTICE);
    while (rig.clock.instant().isBefore(deadline)) {
      tick();
    }

    List<PacedMove> moves = rig.world.pacedMoves();
    List<String> moved = moves.stream().map(m -> m.order().agentId()).toList();
    assertEquals(
        List.of(),
        agents.stream().filter(a -> !moved.contains(a)).toList(),
        "agents whose evacuation never started before the deadline");
    assertEquals(HOSTS, moves.size(), "one move per agent, none retried");
    for (PacedMove m : moves) {
      Instant latestStart = m.order().deadline().minus(m.takes());
      assertTrue(
          !m.start().isAfter(latestStart),
          m.order().agentId()
              + " started at "
              + m.start()
              + ", after its latest start "
              + latestStart);
      assertTrue(m.sharing() <= 2, "at most 2 moves per host: " + m);
    }
    assertEquals(
        2, moves.stream().mapToInt(PacedMove::sharing).max().orElseThrow(), "the limit was used");
    Map<String, Market> marketOf =
        rig.o().state().hosts().stream()
            .collect(Collectors.toMap(h -> h.id(), h -> h.market(), (a, b) -> a));
    for (String id : agents) {
      Agent a = rig.o().state().findAgent(id).orElseThrow();
      assertEquals(AgentPhase.BUSY, a.phase(), id);
      assertEquals(Market.ON_DEMAND, marketOf.get(a.hostId()), id + " is on " + a.hostId());
    }
    assertTrue(rig.o().lostBuilds().isEmpty(), rig.o().lostBuilds().toString());
    assertTrue(rig.world.violations().isEmpty(), rig.world.violations().toString());
    Duration lastWait =
        moves.stream()
            .map(m -> Duration.between(notice, m.start()))
            .max(Duration::compareTo)
            .orElseThrow();
    Duration slack =
        moves.stream()
            .map(m -> Duration.between(m.start().plus(m.takes()), m.order().deadline()))
            .min(Duration::compareTo)
            .orElseThrow();
    System.out.printf(
        "burst: %d notices, warm pool %d, %d moves per host: last evacuation waited %d s from"
            + " notice to start; slowest move %d ms; least slack before a deadline %d s%n",
        HOSTS,
        5,
        2,
        lastWait.toSeconds(),
        moves.stream().map(PacedMove::takes).map(Duration::toMillis).max(Long::compare).get(),
        slack.toSeconds());
  }

  @Test
  void whenTheLimitsCannotMeetEveryDeadlineTheOnesThatCannotAreNamedBeforeTheirDeadline() {
    Instant notice = burst(1, new Limits(40, 200, 1, 1, 0.2));
    Instant deadline = notice.plus(NOTICE);
    Map<String, Instant> namedLateAt = new LinkedHashMap<>();
    while (rig.clock.instant().isBefore(deadline)) {
      Instant now = rig.clock.instant();
      tick();
      for (String line : reports.get(reports.size() - 1).forcedLate()) {
        assertTrue(line.contains("cannot finish by its deadline " + deadline), line);
        agents.stream()
            .filter(a -> line.startsWith("evacuation of " + a + " from "))
            .forEach(a -> namedLateAt.putIfAbsent(a, now));
      }
    }

    List<PacedMove> moves = rig.world.pacedMoves();
    Map<String, PacedMove> moveOf = new LinkedHashMap<>();
    moves.forEach(m -> moveOf.put(m.order().agentId(), m));
    assertTrue(!namedLateAt.isEmpty(), "one warm host with one slot cannot take 20 in 2 minutes");
    for (String a : agents) {
      PacedMove m = moveOf.get(a);
      boolean inTime = m != null && !m.start().plus(m.takes()).isAfter(deadline);
      assertTrue(
          inTime != namedLateAt.containsKey(a),
          a + " is either moved in time or named as late, exactly one of them: " + m);
      if (namedLateAt.containsKey(a)) {
        assertTrue(namedLateAt.get(a).isBefore(deadline), a + " named only at the deadline");
        assertTrue(
            m == null || !m.start().isBefore(namedLateAt.get(a)),
            a + " was named before it started");
      }
    }
    moves.forEach(m -> assertEquals(1, m.sharing(), "one move per host: " + m));
    System.out.printf(
        "burst over the limits: warm pool 1, 1 move per host: %d moved in time, %d named as unable"
            + " to meet the deadline (the first %d s after the notice)%n",
        agents.size() - namedLateAt.size(),
        namedLateAt.size(),
        namedLateAt.values().stream()
            .map(at -> Duration.between(notice, at).toSeconds())
            .min(Long::compare)
            .orElseThrow());
  }

  @Test
  void aMoveThatCannotMakeItYieldsTheSlotToOneThatCanAndIsStillTriedWithASlotLeft() {
    rig.limits = new Limits(40, 200, 1, 1, 0.2);
    String hopelessHost = rig.host(SPOT_A, Market.SPOT);
    String feasibleHost = rig.host(SPOT_B, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String hopeless = rig.agent(hopelessHost, AGENT_MIB, true);
    String feasible = rig.agent(feasibleHost, AGENT_MIB, true);
    rig.world.pace(ESTIMATOR); // 2 GiB alone: 8.75 s
    rig.start();
    Instant now = rig.clock.instant();
    rig.world.event(new FleetEvent.Notice("n-1", hopelessHost, "sqs", now, now.plusSeconds(5)));
    rig.world.event(new FleetEvent.Notice("n-2", feasibleHost, "sqs", now, now.plusSeconds(120)));

    tick();
    TickReport first = reports.get(0);
    assertEquals(
        List.of(feasible),
        first.forcedStarted().stream().map(m -> m.agentId()).toList(),
        "the one that can make it takes the only slot, though its deadline is later");
    assertEquals(od, first.forcedStarted().get(0).to());
    assertEquals(1, first.forcedLate().size(), first.forcedLate().toString());
    assertTrue(
        first.forcedLate().get(0).startsWith("evacuation of " + hopeless + " from " + hopelessHost)
            && first.forcedLate().get(0).contains("left on its source"),
        first.forcedLate().get(0));

    Rig solo = new Rig();
    String src = solo.host(SPOT_A, Market.SPOT);
    String soloOd = solo.host(OD, Market.ON_DEMAND);
    String agent = solo.agent(src, AGENT_MIB, true);
    solo.world.pace(ESTIMATOR);
    solo.start();
    Instant t = solo.clock.instant();
    solo.world.event(new FleetEvent.Notice("n-3", src, "sqs", t, t.plusSeconds(5)));
    TickReport alone = solo.o().tick();
    assertEquals(
        List.of(agent),
        alone.forcedStarted().stream().map(m -> m.agentId()).toList(),
        "with a slot free a forced move is tried even when the estimate misses the deadline");
    assertTrue(
        alone.forcedLate().get(0).contains("started anyway to " + soloOd),
        alone.forcedLate().toString());
  }
}
