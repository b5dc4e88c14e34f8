package io.spotnest.migration;

import java.time.Duration;

/**
 * How much the engine runs at once and how close to a deadline it dares to go.
 *
 * @param movesPerHost migrations a host may take part in at once (as source or destination)
 * @param movesPerLink migrations one link (a pair of hosts, either direction) may carry at once;
 *     they share its bandwidth, re-set in flight whenever one starts or ends
 * @param queueWait how long a move may wait for a free slot before it is refused ({@link
 *     Duration#ZERO}: refused at once); never past its deadline less the safety margin
 * @param safetyMargin taken off every caller's deadline: the engine plans against, and aborts at,
 *     the deadline less this margin, so the VM is settled on one host before the source may
 *     disappear
 */
public record EngineLimits(
    int movesPerHost, int movesPerLink, Duration queueWait, Duration safetyMargin) {

  public EngineLimits {
    if (movesPerHost < 1) {
      throw new IllegalArgumentException("movesPerHost must be at least 1, was " + movesPerHost);
    }
    if (movesPerLink < 1) {
      throw new IllegalArgumentException("movesPerLink must be at least 1, was " + movesPerLink);
    }
    if (queueWait == null || queueWait.isNegative()) {
      throw new IllegalArgumentException("queueWait must be zero or positive, was " + queueWait);
    }
    if (safetyMargin == null || safetyMargin.isNegative()) {
      throw new IllegalArgumentException(
          "safetyMargin must be zero or positive, was " + safetyMargin);
    }
  }

  /** Two moves per host and per link, a wait of up to a minute for a slot, a 5 s safety margin. */
  public static EngineLimits defaults() {
    return new EngineLimits(2, 2, Duration.ofMinutes(1), Duration.ofSeconds(5));
  }

  public EngineLimits withMovesPerHost(int n) {
    return new EngineLimits(n, movesPerLink, queueWait, safetyMargin);
  }

  public EngineLimits withMovesPerLink(int n) {
    return new EngineLimits(movesPerHost, n, queueWait, safetyMargin);
  }

  public EngineLimits withQueueWait(Duration d) {
    return new EngineLimits(movesPerHost, movesPerLink, d, safetyMargin);
  }

  public EngineLimits withSafetyMargin(Duration d) {
    return new EngineLimits(movesPerHost, movesPerLink, queueWait, d);
  }
}
