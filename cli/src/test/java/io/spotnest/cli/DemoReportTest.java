package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.migration.FailureKind;
import io.spotnest.migration.MigrationOutcome;
import io.spotnest.orchestrator.adapter.migration.MoveReport;
import io.spotnest.orchestrator.port.MoveOrder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoReportTest {
  private static final Instant T = Instant.parse("2023-04-22T06:38:00Z");

  private static DemoMove move(String agent, boolean forced, boolean ok, long pauseMs) {
    return new DemoMove(
        forced ? "forced by the notice" : "risk-driven", report(agent, forced, ok, pauseMs));
  }

  private static MoveReport report(String agent, boolean forced, boolean ok, long pauseMs) {
    MoveOrder o = new MoveOrder("m-" + agent, agent, "hosta", "hostc", T.plusSeconds(120), forced);
    return new MoveReport(
        o,
        T,
        new MigrationOutcome(
            agent,
            Optional.of(ok ? "hostc" : "hosta"),
            ok,
            ok ? Optional.empty() : Optional.of(FailureKind.DEADLINE_EXCEEDED),
            ok ? "ok" : "late",
            Duration.ofSeconds(40),
            Duration.ofMillis(pauseMs),
            1L << 27,
            1L << 22,
            7,
            false,
            null,
            io.spotnest.migration.Tuning.PRE_COPY,
            0));
  }

  /** A voluntary move the engine refused up front: its plan missed the deadline, nothing copied. */
  private static DemoMove refused(String agent) {
    MoveOrder o = new MoveOrder("r-" + agent, agent, "hosta", "hostc", T.plusSeconds(123), false);
    return new DemoMove(
        "risk-driven",
        new MoveReport(
            o,
            T,
            new MigrationOutcome(
                agent,
                Optional.of("hosta"),
                false,
                Optional.of(FailureKind.PLAN_MISSES_DEADLINE),
                "no permitted tuning completes in time: predicted 183.0 s exceeds the deadline of"
                    + " 118.0 s",
                Duration.ZERO,
                Duration.ZERO,
                0,
                0,
                0,
                false,
                null,
                io.spotnest.migration.Tuning.NONE,
                0)));
  }

  @Test
  void aMoveTheEngineRefusedUpFrontIsReportedAsRefusedNotAsAFailedMigration() {
    FleetDemo.Result r =
        new FleetDemo.Result(
            List.of(new BuildWatch.Build("agent-1", 1, Set.of("b1"), Set.of(1), 250, 0, 250)),
            0,
            List.of(refused("agent-1"), move("agent-1", false, true, 500)),
            1,
            2,
            1,
            List.of(),
            Duration.ofSeconds(300));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DemoReport.print(new PrintStream(out, true, StandardCharsets.UTF_8), r);
    String text = out.toString(StandardCharsets.UTF_8);

    assertFalse(text.contains("FAILED"), text);
    assertTrue(
        text.contains(
            "refused by the engine up front, its plan missing the deadline (the VM stayed on hosta)"),
        text);
    assertTrue(text.contains("predicted 183.0 s exceeds the deadline"), text);
    assertTrue(text.contains("migrations=1 "), text);
  }

  @Test
  void theSummaryLineCountsOnlyUnbrokenBuildsAndSuccessfulMoves() {
    FleetDemo.Result r =
        new FleetDemo.Result(
            List.of(
                new BuildWatch.Build("agent-1", 1, Set.of("b1"), Set.of(1), 250, 0, 250),
                new BuildWatch.Build("agent-2", 2, Set.of("b2", "b3"), Set.of(2, 3), 20, 1, 40)),
            0,
            List.of(
                move("agent-1", false, true, 794),
                move("agent-2", true, true, 453),
                move("agent-2", true, false, 0)),
            34.32,
            79.26,
            19.66,
            List.of(),
            Duration.ofSeconds(276));

    assertEquals(
        "demo: builds_finished=1 builds_restarted=1 migrations=2 max_pause_ms=794 "
            + "saving_vs_ondemand_pct=56.7",
        DemoReport.line(r));
  }
}
