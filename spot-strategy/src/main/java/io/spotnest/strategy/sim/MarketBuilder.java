package io.spotnest.strategy.sim;

import io.spotnest.strategy.data.AdvisorEntry;
import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.data.SpotAdvisorData;
import io.spotnest.strategy.data.TraceNames;
import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.signal.InterruptionFrequency;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a trace into a {@link PoolMarket}: price from the Spot Advisor saving of the type in the
 * zone's region (else the feed's median saving, stated), host size from the feed (else the known
 * non-AWS sizes), and generated reclamations when the trace holds none.
 */
public final class MarketBuilder {
  private final SpotAdvisorData advisor;
  private final HazardParameters params;
  private final long seed;

  public MarketBuilder(SpotAdvisorData advisor, HazardParameters params, long seed) {
    this.advisor = advisor;
    this.params = params;
    this.seed = seed;
  }

  public PoolMarket build(CapacityTrace trace) {
    String type = trace.pool().instanceType();
    Optional<AdvisorEntry> entry = advisor.entry(trace.pool().region(), type);
    double ram =
        advisor
            .spec(type)
            .map(s -> s.ramGiB())
            .or(() -> TraceNames.otherRamGiB(type))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown host size of instance type '"
                            + type
                            + "' (not in the Spot Advisor instance_types)"));
    double ratio;
    String source;
    if (entry.isPresent()) {
      ratio = entry.get().spotToOnDemand();
      source =
          String.format(
              Locale.ROOT,
              "Spot Advisor %s %s: saving %d%%, bucket %d",
              trace.pool().region(),
              type,
              entry.get().savingPct(),
              entry.get().bucket());
    } else {
      int median = advisor.medianSavingPct();
      ratio = 1 - median / 100.0;
      source =
          String.format(
              Locale.ROOT,
              "not in Spot Advisor: assumed the feed's median saving %d%%, bucket %d",
              median,
              params.unknownBucket());
    }
    if (ratio <= 0) {
      ratio = 0.01;
    }
    boolean generated = trace.reclamationTicks().isEmpty();
    CapacityTrace used = trace;
    if (generated) {
      int bucket = entry.map(AdvisorEntry::bucket).orElse(params.unknownBucket());
      double monthly =
          new InterruptionFrequency(trace.pool(), trace.start(), bucket).monthlyFraction();
      used = new SyntheticReclamations().generate(trace, monthly, 1.0, seed);
    }
    return new PoolMarket(used, ratio, ram, entry, source, generated);
  }
}
