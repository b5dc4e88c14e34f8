package io.spotnest.orchestrator.tick;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotnest.orchestrator.journal.JournalRecord.AgentLost;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPlaced;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.port.AgentView;
import io.spotnest.orchestrator.testing.States;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A build that outruns the requested estimate is shown to the strategy with the time the past
 * builds of its template that ran as long still had left, not as about to finish (issue 12): the
 * lengths come from the journal, so a restart's replay keeps them.
 */
class OverrunningBuildTest {
  private static final Instant T0 = States.T0;
  private static final String LARGE = "spotnest:large";
  private static final String SMALL = "spotnest:small";

  private final States states = new States().host("h-1", States.SPOT_A, Market.SPOT, 64 * 1024);
  private final FleetState state = states.state();

  @Test
  void anOverrunningBuildIsShownTheTimeLeftOfLongerPastBuildsOfItsTemplate() {
    finishedBuild("done-1", LARGE, T0, Duration.ofMinutes(100));
    finishedBuild("done-2", LARGE, T0, Duration.ofMinutes(140));
    busy("running", LARGE, Duration.ofMinutes(45), T0.plus(Duration.ofHours(3)));
    busy("other", SMALL, Duration.ofMinutes(120), T0.plus(Duration.ofHours(3)));

    Map<String, AgentView> shown = shownAt(T0.plus(Duration.ofMinutes(270)));

    // ran 90 min of an expected 45: the past builds that ran past 90 min had 10 and 50 min left
    assertEquals(Duration.ofMinutes(90), shown.get("running").elapsed());
    assertEquals(Duration.ofMinutes(30), shown.get("running").expectedRemaining());
    // another template's history is not its own: requested - elapsed
    assertEquals(Duration.ofMinutes(30), shown.get("other").expectedRemaining());
  }

  @Test
  void anIdleAgentIsShownTheMeanLengthOfItsTemplatesPastBuilds() {
    finishedBuild("done-1", LARGE, T0, Duration.ofMinutes(100));
    finishedBuild("done-2", LARGE, T0, Duration.ofMinutes(140));
    request("idle", LARGE, Duration.ofMinutes(45));
    online("idle", T0);

    assertEquals(
        Duration.ofMinutes(120),
        shownAt(T0.plus(Duration.ofHours(5))).get("idle").expectedRemaining());
  }

  @Test
  void aLostBuildIsNoLengthAndItsRequeuedAgentKeepsTheTemplate() {
    finishedBuild("done-1", LARGE, T0, Duration.ofMinutes(100));
    busy("lost", LARGE, Duration.ofMinutes(45), T0);
    state.apply(new AgentLost("lost", "h-1", "host h-1 vanished", "again", T0.plusSeconds(60)));
    state.apply(new AgentPlaced("again", "h-1"));
    state.apply(new AgentPhaseChanged("again", AgentPhase.BOOTING, T0.plusSeconds(60), "t"));
    state.apply(new AgentPhaseChanged("again", AgentPhase.ONLINE, T0.plusSeconds(60), "t"));
    state.apply(new AgentPhaseChanged("again", AgentPhase.BUSY, T0.plusSeconds(60), "t"));

    // only done-1 counts (the lost one ran 1 min): 100 - 30 = 70 min left after 30 min
    assertEquals(
        Duration.ofMinutes(70),
        shownAt(T0.plusSeconds(60).plus(Duration.ofMinutes(30))).get("again").expectedRemaining());
  }

  private Map<String, AgentView> shownAt(Instant now) {
    return StrategyInputs.spotHosts(state, now).stream()
        .flatMap(h -> h.agents().stream())
        .collect(Collectors.toMap(AgentView::agentId, a -> a));
  }

  private void finishedBuild(String id, String template, Instant start, Duration length) {
    busy(id, template, Duration.ofMinutes(45), start);
    state.apply(new AgentPhaseChanged(id, AgentPhase.ONLINE, start.plus(length), "build finished"));
  }

  private void busy(String id, String template, Duration expected, Instant start) {
    request(id, template, expected);
    online(id, start);
    state.apply(new AgentPhaseChanged(id, AgentPhase.BUSY, start, "build started"));
  }

  private void request(String id, String template, Duration expected) {
    state.apply(new AgentRequested(id, 1024, expected, null, template, null, null));
    state.apply(new AgentPlaced(id, "h-1"));
  }

  private void online(String id, Instant at) {
    state.apply(new AgentPhaseChanged(id, AgentPhase.BOOTING, at, "t"));
    state.apply(new AgentPhaseChanged(id, AgentPhase.ONLINE, at, "t"));
  }
}
