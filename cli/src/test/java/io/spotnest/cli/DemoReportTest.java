package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotnest.migration.FailureKind;
import io.spotnest.migration.MigrationOutcome;
import io.spotnest.orchestrator.adapter.migration.MoveReport;
import io.spotnest.orchestrator.port.MoveOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoReportTest {
  private static final Instant T = Instant.parse("2023-04-22T06:38:00Z");

  private static MoveReport move(String agent, boolean forced, boolean ok, long pauseMs) {
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
            io.spotnest.migration.Tuning.PRE_COPY));
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
