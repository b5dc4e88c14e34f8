package io.spotnest.strategy.fleet;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;

/**
 * The lengths of the most recent builds that finished (of one kind of build), and what they say of
 * a running build's time left: the mean time the finished builds that ran longer than it so far
 * still had left at its elapsed time. A build that outruns the requested estimate is so not read as
 * about to finish while past ones ran longer. With none longer, the requested estimate minus the
 * time elapsed (never below zero). Causal: it knows only builds that have finished. Not
 * thread-safe.
 */
public final class BuildLengths {
  private final int window;
  private final ArrayDeque<Long> arrivalOrder = new ArrayDeque<>(); // millis, oldest first
  private long[] sorted = new long[0]; // millis, ascending
  private long[] suffixSum = new long[1]; // suffixSum[i] = sum of sorted[i..]

  /** Keeps the last {@code window} lengths (at least one). */
  public BuildLengths(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1, got " + window);
    }
    this.window = window;
  }

  /** A build of {@code length} finished (dropping the oldest kept once the window is full). */
  public void add(Duration length) {
    Objects.requireNonNull(length, "length");
    if (length.isNegative()) {
      throw new IllegalArgumentException("a build length cannot be negative: " + length);
    }
    long ms = length.toMillis();
    arrivalOrder.addLast(ms);
    long[] next;
    if (arrivalOrder.size() > window) {
      long dropped = arrivalOrder.removeFirst();
      next = Arrays.copyOf(sorted, sorted.length);
      next[Arrays.binarySearch(next, dropped)] = ms;
    } else {
      next = Arrays.copyOf(sorted, sorted.length + 1);
      next[sorted.length] = ms;
    }
    Arrays.sort(next);
    sorted = next;
    suffixSum = new long[sorted.length + 1];
    for (int i = sorted.length - 1; i >= 0; i--) {
      suffixSum[i] = suffixSum[i + 1] + sorted[i];
    }
  }

  /** How many lengths are kept. */
  public int size() {
    return sorted.length;
  }

  /** The mean kept length, or {@code requested} while none is kept. */
  public Duration expected(Duration requested) {
    return remaining(requested, Duration.ZERO);
  }

  /**
   * The time left of a build that has run {@code elapsed} and was expected to take {@code
   * requested}: the mean of (length − elapsed) over the kept lengths above {@code elapsed}, or
   * max(0, requested − elapsed) when none is.
   */
  public Duration remaining(Duration requested, Duration elapsed) {
    long e = elapsed.toMillis();
    int first = firstAbove(e);
    int longer = sorted.length - first;
    if (longer > 0) {
      return Duration.ofMillis((suffixSum[first] - longer * e) / longer);
    }
    Duration left = requested.minus(elapsed);
    return left.isNegative() ? Duration.ZERO : left;
  }

  private int firstAbove(long ms) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] > ms) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}
