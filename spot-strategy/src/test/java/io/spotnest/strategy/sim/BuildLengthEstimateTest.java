package io.spotnest.strategy.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spotnest.strategy.fleet.AgentView;
import io.spotnest.strategy.sim.BuildLengthEstimate.Mode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a strategy is told of a build's length: its true length ({@code exact}, hindsight) or, as
 * the orchestrator has it, the mean length of the builds that finished before it arrived ({@code
 * history}).
 */
class BuildLengthEstimateTest {
  private final TrueLengths lengths = new TrueLengths();

  private static final Duration FIVE_MIN = Duration.ofMinutes(5);

  @Test
  void historyShowsBuildsOfTheSameElapsedTimeTheSameRemainingWhateverTheirTrueLength() {
    BuildLengthEstimate history = new BuildLengthEstimate(Mode.HISTORY);
    history.finished(Duration.ofMinutes(30));
    BuildRequest shortOne = lengths.add(new Build(1, 40, 10, 8));
    BuildRequest longOne = lengths.add(new Build(2, 40, 300, 8));
    history.arrived(shortOne);
    history.arrived(longOne);

    assertEquals(Duration.ofMinutes(25), history.remaining(shortOne, FIVE_MIN));
    assertEquals(history.remaining(shortOne, FIVE_MIN), history.remaining(longOne, FIVE_MIN));
    // remaining = max(0, expected - elapsed), as the orchestrator computes it
    assertEquals(Duration.ZERO, history.remaining(longOne, Duration.ofMinutes(45)));

    BuildLengthEstimate exact = new BuildLengthEstimate(lengths);
    exact.arrived(shortOne);
    exact.arrived(longOne);
    assertNotEquals(exact.remaining(shortOne, FIVE_MIN), exact.remaining(longOne, FIVE_MIN));
    assertEquals(Duration.ofMinutes(295), exact.remaining(longOne, FIVE_MIN));
  }

  @Test
  void theFleetViewShowsStrategiesTheEstimate() {
    Fleet fleet = new Fleet(SimConfig.DEFAULTS, 512, "us-east-1b", Double.NaN, p -> true);
    fleet.lengths = new BuildLengthEstimate(lengths);
    fleet.lengths = new BuildLengthEstimate(Mode.HISTORY);
    fleet.lengths.finished(Duration.ofMinutes(30));
    SimHost host = fleet.launchOnDemand(500, "us-east-1b", true);
    BuildRequest shortOne = lengths.add(new Build(1, 40, 10, 8));
    BuildRequest longOne = lengths.add(new Build(2, 40, 300, 8));
    fleet.lengths.arrived(shortOne);
    fleet.lengths.arrived(longOne);
    fleet.start(shortOne, host).progressSeconds = 300;
    fleet.start(longOne, host).progressSeconds = 300;

    List<AgentView> shown = FleetViews.hosts(fleet).get(0).agents();
    assertEquals(Duration.ofMinutes(5), shown.get(0).elapsed());
    assertEquals(Duration.ofMinutes(25), shown.get(0).remaining());
    assertEquals(Duration.ofMinutes(25), shown.get(1).remaining());

    fleet.lengths = new BuildLengthEstimate(lengths);
    shown = FleetViews.hosts(fleet).get(0).agents();
    assertEquals(Duration.ofMinutes(5), shown.get(0).remaining());
    assertEquals(Duration.ofMinutes(295), shown.get(1).remaining());
  }

  @Test
  void anEstimateUsesOnlyBuildsThatFinishedBeforeTheBuildArrived() {
    BuildLengthEstimate history = new BuildLengthEstimate(Mode.HISTORY);
    history.finished(Duration.ofMinutes(20));
    history.finished(Duration.ofMinutes(40));
    BuildRequest early = lengths.add(new Build(2, 50, 100, 8));
    history.arrived(early);
    assertEquals(Duration.ofMinutes(30), history.expected(early));

    // a long build finishing later does not change the earlier estimate, only later arrivals'
    history.finished(Duration.ofMinutes(600));
    assertEquals(Duration.ofMinutes(30), history.expected(early));
    assertEquals(Duration.ofMinutes(25), history.remaining(early, FIVE_MIN));
    BuildRequest late = lengths.add(new Build(4, 700, 100, 8));
    history.arrived(late);
    assertEquals(Duration.ofMinutes(220), history.expected(late));
  }

  @Test
  void beforeAnyBuildFinishedTheFallbackIsExpected() {
    BuildLengthEstimate history = new BuildLengthEstimate(Mode.HISTORY);
    BuildRequest first = lengths.add(new Build(0, 0, 170, 8));
    history.arrived(first);
    assertEquals(BuildLengthEstimate.FALLBACK, history.expected(first));
    assertEquals(Duration.ofMinutes(60), BuildLengthEstimate.FALLBACK);
  }

  @Test
  void conditionalShowsTheMeanTimeLeftOfPastBuildsThatRanAsLongAsThisOneSoFar() {
    BuildLengthEstimate conditional = new BuildLengthEstimate(Mode.CONDITIONAL);
    conditional.finished(Duration.ofMinutes(20));
    conditional.finished(Duration.ofMinutes(40));
    conditional.finished(Duration.ofMinutes(120));
    BuildRequest shortOne = lengths.add(new Build(3, 130, 35, 8));
    BuildRequest longOne = lengths.add(new Build(4, 130, 400, 8));
    conditional.arrived(shortOne);
    conditional.arrived(longOne);

    // past builds longer than 30 min: 40 and 120, so 10 and 90 min left: 50 on average
    assertEquals(Duration.ofMinutes(50), conditional.remaining(shortOne, Duration.ofMinutes(30)));
    assertEquals(
        conditional.remaining(shortOne, Duration.ofMinutes(30)),
        conditional.remaining(longOne, Duration.ofMinutes(30)));
    assertEquals(Duration.ofMinutes(20), conditional.remaining(longOne, Duration.ofMinutes(100)));
    // a build that outran every past one is not read as about to finish while one ran longer...
    assertEquals(Duration.ZERO, conditional.remaining(longOne, Duration.ofMinutes(130)));
    // ...and a longer build finishing later counts from then on (what finished so far only)
    conditional.finished(Duration.ofMinutes(300));
    assertEquals(Duration.ofMinutes(170), conditional.remaining(longOne, Duration.ofMinutes(130)));
    assertEquals(Mode.CONDITIONAL, Mode.parse("conditional"));
  }

  @Test
  void aModeIsExactOrHistory() {
    assertEquals(Mode.HISTORY, Mode.parse("history"));
    assertEquals(Mode.EXACT, Mode.parse(" Exact"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Mode.parse("median"));
    assertEquals("must be exact, history or conditional (got median)", e.getMessage());
  }
}
