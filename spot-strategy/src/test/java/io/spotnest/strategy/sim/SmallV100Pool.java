package io.spotnest.strategy.sim;

import io.spotnest.strategy.data.CapacityTraceReader;
import io.spotnest.strategy.data.SharedTestData;
import io.spotnest.strategy.data.SpotAdvisorReader;
import io.spotnest.strategy.risk.HazardParameters;
import java.util.List;

/**
 * The real small host pool the simulations test against: AWS's V100 capacity trace in us-west-2b
 * (market seed 42), and a 12-hour workload (seed 42) that ends four hours before the trace and fits
 * its smallest usable host.
 */
final class SmallV100Pool {
  private SmallV100Pool() {}

  /** The pool's simulator under {@code config}. */
  static Simulator simulator(SimConfig config) {
    MarketBuilder b =
        new MarketBuilder(
            new SpotAdvisorReader().read(SharedTestData.advisor()), HazardParameters.DEFAULTS, 42);
    return new Simulator(
        config,
        List.of(b.build(new CapacityTraceReader().read(SharedTestData.awsV100("us-west-2b")))));
  }

  /** The workload run on {@code v100}. */
  static Workload workload(Simulator v100) {
    return new WorkloadGenerator()
        .generate(
            42, 12, v100.lengthSeconds() / 60.0 - 240, Math.min(64, v100.smallestUsableHostGiB()));
  }
}
