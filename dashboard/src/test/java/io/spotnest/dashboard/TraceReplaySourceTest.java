package io.spotnest.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.strategy.data.AdvisorEntry;
import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.data.CapacityTraceReader;
import io.spotnest.strategy.data.MinuteTimeline;
import io.spotnest.strategy.data.SharedData;
import io.spotnest.strategy.data.SpotAdvisorData;
import io.spotnest.strategy.data.SpotAdvisorReader;
import io.spotnest.strategy.eval.PoolReplay;
import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.risk.HazardRiskModel;
import io.spotnest.testbed.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** A real SkyPilot trace replayed through the real risk model, as the dashboard's source. */
class TraceReplaySourceTest {
  private static final Path DATA =
      SharedData.require(Path.of(System.getProperty("spotnest.root", "..")));
  private static final Path TRACE =
      DATA.resolve(
          "skypilot-spot-traces/preemption/1-node/aws-04-19-2023/us-east-1b_intel_64.json");
  private final CapacityTrace trace = new CapacityTraceReader().read(TRACE);
  private final SpotAdvisorData advisor =
      new SpotAdvisorReader().read(DATA.resolve(SharedData.ADVISOR));
  private final HazardRiskModel model = new HazardRiskModel(HazardParameters.DEFAULTS);

  private Optional<AdvisorEntry> advice(CapacityTrace t) {
    return advisor.entry(t.pool().region(), t.pool().instanceType());
  }

  private TraceReplaySource source(MutableClock clock, TraceReplaySource.Settings settings) {
    return new TraceReplaySource(List.of(trace), this::advice, model, settings, clock);
  }

  @Test
  void revealsTheTraceAsTheReplayClockRuns() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    TraceReplaySource source =
        source(
            clock,
            new TraceReplaySource.Settings(
                60, Duration.ofHours(2), Duration.ofMinutes(10), Duration.ofMinutes(15)));
    DashboardSnapshot first = source.snapshot();
    assertEquals(trace.start().plus(Duration.ofHours(2)).toEpochMilli(), first.asOfEpochMs());
    PoolRisk pool = first.risk().get(0);
    assertEquals("r5.16xlarge@us-east-1b", pool.pool());
    assertEquals("us-east-1b", pool.zone());
    assertEquals(15, pool.horizonMinutes());
    int before = pool.points().size();
    assertTrue(before > 0 && before <= 12, "2 h in 10-min steps: " + before);
    assertTrue(
        pool.points().stream().allMatch(p -> p.atEpochMs() <= first.asOfEpochMs()),
        "nothing from the future");

    clock.advance(Duration.ofSeconds(60)); // 60x: one trace hour
    DashboardSnapshot later = source.snapshot();
    assertEquals(trace.start().plus(Duration.ofHours(3)).toEpochMilli(), later.asOfEpochMs());
    assertTrue(later.risk().get(0).points().size() > before, "the series grows live");

    clock.advance(Duration.ofDays(30));
    DashboardSnapshot end = source.snapshot();
    assertEquals(
        trace.start().plus(trace.length()).toEpochMilli(),
        end.asOfEpochMs(),
        "stops at the trace's end");
  }

  @Test
  void riskIsTheStrategysOwnReplayOfTheTrace() {
    MutableClock clock = new MutableClock(Instant.EPOCH);
    TraceReplaySource source =
        source(
            clock,
            new TraceReplaySource.Settings(
                1, trace.length(), Duration.ofMinutes(1), Duration.ofMinutes(15)));
    List<RiskPoint> points = source.snapshot().risk().get(0).points();
    MinuteTimeline timeline = MinuteTimeline.of(trace);
    double[] expected =
        new PoolReplay(model, Duration.ofMinutes(15), OptionalInt.empty())
            .probabilities(trace, timeline, advice(trace));
    int compared = 0;
    for (RiskPoint p : points) {
      int minute = (int) ((p.atEpochMs() - trace.start().toEpochMilli()) / 60_000);
      if (!Double.isNaN(expected[minute])) {
        assertEquals(expected[minute], p.risk(), 1e-12, "minute " + minute);
        compared++;
      }
    }
    assertTrue(compared > 5_000, "compared " + compared + " minutes");
    double peak = points.stream().mapToDouble(RiskPoint::risk).max().orElseThrow();
    double median =
        points.stream().mapToDouble(RiskPoint::risk).sorted().toArray()[points.size() / 2];
    assertTrue(
        peak > 0.5 && median < 0.5 * peak,
        "real reclamations raise the risk: peak " + peak + ", median " + median);
  }

  @Test
  void saysWhatItDoesNotProvide() {
    DashboardSnapshot s =
        source(new MutableClock(Instant.EPOCH), TraceReplaySource.Settings.DEFAULTS).snapshot();
    assertTrue(s.hosts().isEmpty() && s.agents().isEmpty() && s.migrations().isEmpty());
    assertTrue(s.losses().isEmpty(), "a trace loses no build");
    assertEquals(Savings.NONE, s.savings());
    assertTrue(
        s.notes().stream().anyMatch(n -> n.contains("us-east-1b_intel_64")), s.notes().toString());
    assertTrue(
        s.notes().stream().anyMatch(n -> n.contains("no hosts, agents, migrations or savings")),
        s.notes().toString());
  }
}
