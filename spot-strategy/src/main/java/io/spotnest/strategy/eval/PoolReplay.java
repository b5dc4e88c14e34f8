package io.spotnest.strategy.eval;

import io.spotnest.strategy.data.AdvisorEntry;
import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.data.MinuteTimeline;
import io.spotnest.strategy.data.TraceSignalFeed;
import io.spotnest.strategy.risk.RiskModel;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Replays one trace minute by minute through a {@link TraceSignalFeed} and a {@link RiskModel}, and
 * returns the probability of reclamation within the horizon for every minute that can be scored
 * (pool up, no notice yet).
 */
public final class PoolReplay {
  private final RiskModel model;
  private final Duration horizon;
  private final OptionalInt whatIfRebalanceLeadMin;

  /**
   * @param whatIfRebalanceLeadMin if present, a rebalance recommendation is injected that many
   *     minutes before each reclamation: a what-if, since the traces do not hold rebalance timing
   */
  public PoolReplay(RiskModel model, Duration horizon, OptionalInt whatIfRebalanceLeadMin) {
    this.model = Objects.requireNonNull(model, "model");
    this.horizon = Objects.requireNonNull(horizon, "horizon");
    this.whatIfRebalanceLeadMin =
        Objects.requireNonNull(whatIfRebalanceLeadMin, "whatIfRebalanceLeadMin");
  }

  /** Per-minute probabilities; {@code NaN} where the minute is not scored. */
  public double[] probabilities(
      CapacityTrace trace, MinuteTimeline tl, Optional<AdvisorEntry> advisor) {
    TraceSignalFeed feed = new TraceSignalFeed(trace, tl, advisor, whatIfRebalanceLeadMin);
    double[] p = new double[tl.minutes()];
    for (int m = 0; m < tl.minutes(); m++) {
      feed.advanceTo(60L * m);
      var snapshot = feed.observer().snapshot(trace.start().plusSeconds(60L * m));
      p[m] =
          tl.up(m) && !feed.noticePending()
              ? model.assess(snapshot).probabilityWithin(horizon)
              : Double.NaN;
    }
    return p;
  }
}
