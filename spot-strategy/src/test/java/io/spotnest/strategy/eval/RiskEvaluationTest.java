package io.spotnest.strategy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.data.CapacityTraceReader;
import io.spotnest.strategy.data.MinuteTimeline;
import io.spotnest.strategy.data.SharedTestData;
import io.spotnest.strategy.data.SpotAdvisorData;
import io.spotnest.strategy.data.SpotAdvisorReader;
import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.risk.HazardRiskModel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RiskEvaluationTest {
  private final SpotAdvisorData advisor = new SpotAdvisorReader().read(SharedTestData.advisor());
  private final CapacityTrace trace =
      new CapacityTraceReader().read(SharedTestData.aws("us-east-1c"));

  @Test
  void replayIsCausalChangingTheFutureLeavesThePastUntouched() {
    PoolReplay replay =
        new PoolReplay(
            new HazardRiskModel(HazardParameters.DEFAULTS),
            Duration.ofMinutes(15),
            OptionalInt.empty());
    var entry = advisor.entry("us-east-1", "r5.16xlarge");
    double[] full = replay.probabilities(trace, MinuteTimeline.of(trace), entry);
    int[] counts = trace.counts();
    int cutTick = counts.length / 2;
    Arrays.fill(counts, cutTick, counts.length, 1);
    CapacityTrace altered =
        new CapacityTrace(trace.name(), trace.pool(), trace.start(), trace.gapSeconds(), counts);
    double[] changed = replay.probabilities(altered, MinuteTimeline.of(altered), entry);
    // The notice reveals a reclamation 2 minutes ahead, so compare up to 3 minutes before the cut.
    int safeMinutes = (int) ((long) cutTick * trace.gapSeconds() / 60) - 3;
    for (int m = 0; m < safeMinutes; m++) {
      assertEquals(full[m], changed[m], 0.0, "minute " + m);
    }
    assertTrue(Arrays.stream(full).filter(x -> !Double.isNaN(x)).count() > 1000);
  }

  @Test
  void evaluatesHeldOutPeriodOfRealTraces() {
    List<CapacityTrace> traces =
        List.of(trace, new CapacityTraceReader().read(SharedTestData.aws("us-east-1b")));
    RiskEvaluation.Report r =
        new RiskEvaluation()
            .run(
                traces,
                t -> advisor.entry(t.pool().region(), t.pool().instanceType()),
                new RiskEvaluation.Settings(0.6, 0.8, 15, OptionalInt.empty()));
    assertTrue(r.heldOut().events() > 50, "events " + r.heldOut().events());
    assertTrue(r.training().recall() >= 0.8);
    assertTrue(r.heldOut().recall() > 0 && r.heldOut().recall() <= 1);
    assertTrue(r.heldOut().precision() > 0);
    assertTrue(r.heldOut().medianLeadMin() >= 2.0);
    String line = new ReportTable().summaryLine(r);
    assertTrue(
        line.matches(
            "evaluate: recall=\\d+\\.\\d{3} precision=\\d+\\.\\d{3} median_lead_min=\\d+\\.\\d"),
        line);
  }

  @Test
  void whatIfRebalanceLeadRaisesDetection() {
    List<CapacityTrace> traces = List.of(trace);
    var settings = new RiskEvaluation.Settings(0.6, 0.8, 15, OptionalInt.empty());
    var whatIf = new RiskEvaluation.Settings(0.6, 0.8, 15, OptionalInt.of(10));
    RiskEvaluation e = new RiskEvaluation();
    var real =
        e.run(traces, t -> advisor.entry(t.pool().region(), t.pool().instanceType()), settings);
    var hypo =
        e.run(traces, t -> advisor.entry(t.pool().region(), t.pool().instanceType()), whatIf);
    assertTrue(
        hypo.heldOut().precision() > real.heldOut().precision(),
        real.heldOut().precision() + " vs " + hypo.heldOut().precision());
  }
}
