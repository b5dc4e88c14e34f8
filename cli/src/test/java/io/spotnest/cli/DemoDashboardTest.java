package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotnest.dashboard.AgentView;
import io.spotnest.dashboard.DashboardSnapshot;
import io.spotnest.dashboard.LossView;
import io.spotnest.dashboard.Savings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the demo's dashboard adds to the orchestrator's snapshot, and what it keeps of it. */
class DemoDashboardTest {
  @Test
  void theDemoShowsTheBuildsStepsAndKeepsTheLostBuilds() {
    LossView loss =
        new LossView("agent-1", "h-1", "host h-1 vanished (reclaimed)", 1_000L, "agent-3");
    DashboardSnapshot fleet =
        new DashboardSnapshot(
            1_000L,
            "orchestrator",
            List.of("build steps are not reported by the orchestrator (shown as 0)"),
            List.of(),
            List.of(new AgentView("agent-2", "BUSY", "h-2", 0)),
            List.of(),
            List.of(),
            List.of(),
            List.of(loss),
            Savings.NONE);

    DashboardSnapshot shown = DemoDashboard.withSteps(fleet, Map.of("agent-2", 41L));

    assertEquals(List.of(loss), shown.losses());
    assertEquals(41L, shown.agents().get(0).buildSteps());
    assertEquals(List.of(), shown.notes());
  }
}
