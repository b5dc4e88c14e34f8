package io.spotnest.strategy.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.data.CapacityTraceReader;
import io.spotnest.strategy.data.SharedTestData;
import io.spotnest.strategy.data.SpotAdvisorData;
import io.spotnest.strategy.data.SpotAdvisorReader;
import io.spotnest.strategy.policy.MigrationAssumptions;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.signal.PoolId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 3: the oracle is an upper bound. On every shared trace (each pool alone, its first
 * four days to keep the suite short) and on generated traces, it restarts nothing and costs no more
 * than any strategy that restarts nothing (on-demand only included), nor than any other strategy
 * once that one's lost runs are paid again.
 */
class OracleBoundTest {
  private static final SpotAdvisorData ADVISOR =
      new SpotAdvisorReader().read(SharedTestData.advisor());
  private static final int DAYS = 4;

  private static List<CapacityTrace> sharedTraces() {
    try (Stream<Path> files = Files.walk(SharedTestData.dir().resolve("skypilot-spot-traces"))) {
      List<CapacityTrace> out = new ArrayList<>();
      for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        CapacityTrace t = new CapacityTraceReader().read(p);
        int n = Math.min(t.ticks(), DAYS * 86400 / t.gapSeconds());
        out.add(
            new CapacityTrace(
                p.getParent().getFileName() + "/" + t.name(),
                t.pool(),
                t.start(),
                t.gapSeconds(),
                Arrays.copyOf(t.counts(), n)));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Seeded on/off capacity with runs of 2 min to 6 h, 1-node, on pools of different price and host
   * size.
   */
  private static List<CapacityTrace> generatedTraces() {
    List<CapacityTrace> out = new ArrayList<>();
    String[][] pools = {
      {"r5.16xlarge", "us-east-1b"},
      {"p3.2xlarge", "us-west-2a"},
      {"p2.8xlarge", "us-west-2b"},
      {"p3.16xlarge", "us-west-2a"}
    };
    for (int k = 0; k < 8; k++) {
      SplittableRandom rnd = new SplittableRandom(1000 + k);
      int gap = 60;
      int[] counts = new int[2 * 86400 / gap];
      int i = 0;
      int v = 1;
      while (i < counts.length) {
        int run = 2 + rnd.nextInt(v == 1 ? 360 : 60);
        for (int j = i; j < Math.min(counts.length, i + run); j++) {
          counts[j] = v;
        }
        i += run;
        v = 1 - v;
      }
      String[] pool = pools[k % pools.length];
      out.add(
          new CapacityTrace(
              "generated-" + k,
              new PoolId(pool[0], pool[1]),
              Instant.parse("2023-01-01T00:00:00Z"),
              gap,
              counts));
    }
    return out;
  }

  @Test
  void theOracleIsAtLeastAsGoodAsEveryStrategyOnEveryPool() {
    MarketBuilder builder = new MarketBuilder(ADVISOR, HazardParameters.DEFAULTS, 42);
    List<String> failures = new ArrayList<>();
    List<CapacityTrace> traces = new ArrayList<>(sharedTraces());
    traces.addAll(generatedTraces());
    for (CapacityTrace t : traces) {
      Simulator sim = new Simulator(SimConfig.DEFAULTS, List.of(builder.build(t)));
      Workload w =
          new WorkloadGenerator()
              .generate(
                  42,
                  12,
                  Math.max(60, sim.lengthSeconds() / 60.0 - 240),
                  Math.min(64, sim.smallestUsableHostGiB()));
      Map<String, SimResult> r =
          sim.compare(w, HazardParameters.DEFAULTS, PolicyParameters.DEFAULTS);
      SimResult oracle = r.get(ComparisonTable.ORACLE);
      if (oracle.buildsRestarted() != 0 || oracle.deadlineMisses() != 0) {
        failures.add(t.name() + ": the oracle restarted or missed");
      }
      for (SimResult s : r.values()) {
        // a strategy that restarts builds pays for the lost runs again (at on-demand) in this
        // comparison
        double other = s.buildsRestarted() == 0 ? s.cost() : s.costWithLostRuns();
        if (oracle.cost() > other * (1 + 1e-9)) {
          failures.add(
              String.format(
                  "%s: oracle %.1f > %s %.1f", t.name(), oracle.cost(), s.strategy(), other));
        }
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  /**
   * A host whose agents migrate two at a time (each stream fights the dirty rate on half the link)
   * drains far slower than their one-stream times add up to when the guest dirties a lot of memory:
   * the foresight run that migrates then restarts builds, and the oracle must not be that run.
   */
  @Test
  void theOracleIsNeverARunThatRestartedOrMissed() {
    SimConfig d = SimConfig.DEFAULTS;
    SimConfig dirty =
        new SimConfig(
            d.tickSeconds(),
            d.launchSeconds(),
            d.idleSeconds(),
            d.noticeSeconds(),
            d.burstSpreadSeconds(),
            d.hostOverheadGiB(),
            d.maxMigrationsPerSource(),
            new MigrationAssumptions(10, 0.8, 400),
            d.seed(),
            d.failedLaunchSeconds(),
            d.crossZoneUsdPerGBEachWay());
    // capacity for an hour, gone for 10 minutes, then back for 20 hours
    int[] counts = new int[60 + 10 + 20 * 60];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = i >= 60 && i < 70 ? 0 : 1;
    }
    Simulator sim = new Simulator(dirty, List.of(HandPool.of("gap", "us-east-1b", counts)));
    Workload w =
        new Workload(
            "two long builds on one host",
            List.of(new Build(0, 0, 300, 64), new Build(1, 0, 300, 64)));
    SimResult oracle =
        sim.compare(w, HazardParameters.DEFAULTS, PolicyParameters.DEFAULTS)
            .get(ComparisonTable.ORACLE);
    assertEquals(0, oracle.buildsRestarted(), "oracle restarted builds: " + oracle.note());
    assertEquals(0, oracle.deadlineMisses(), "oracle missed deadlines: " + oracle.note());
  }
}
