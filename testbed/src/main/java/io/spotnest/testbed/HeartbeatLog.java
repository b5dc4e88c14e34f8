package io.spotnest.testbed;

import java.util.OptionalLong;

/**
 * When one connection's heartbeats ({@code BEAT <seq>} from the test guest's stand-in build, every
 * 10 ms) arrived: the newest {@link #CAPACITY} arrival times, and the longest gap between two of
 * them, which is the pause as the build saw it (a VM paused for a migration's switch-over sends
 * nothing).
 */
public final class HeartbeatLog {

  /** Arrival times kept: about 11 minutes at one beat per 10 ms. */
  public static final int CAPACITY = 1 << 16;

  private final long[] nanos = new long[CAPACITY];
  private long count;

  /** Records a beat received at {@code receivedNanos} (monotonic, {@link System#nanoTime()}). */
  public synchronized void record(long receivedNanos) {
    nanos[(int) (count % CAPACITY)] = receivedNanos;
    count++;
  }

  /** Beats received since the connection opened. */
  public synchronized long count() {
    return count;
  }

  /** Beats kept that arrived within [{@code fromNanos}, {@code toNanos}]. */
  public synchronized int countBetween(long fromNanos, long toNanos) {
    int n = 0;
    for (long i = oldest(); i < count; i++) {
      long t = at(i);
      if (t >= fromNanos && t <= toNanos) {
        n++;
      }
    }
    return n;
  }

  /** Arrival of the newest beat, empty before the first. */
  public synchronized OptionalLong lastNanos() {
    return count == 0 ? OptionalLong.empty() : OptionalLong.of(at(count - 1));
  }

  /**
   * The longest gap, in milliseconds, between two consecutive beats that overlaps [{@code
   * fromNanos}, {@code toNanos}]; a gap still open (no beat since the newest, which came before
   * {@code toNanos}) counts up to {@code nowNanos}. Empty when no kept beat came before the
   * window's end.
   */
  public synchronized OptionalLong longestGapMillis(long fromNanos, long toNanos, long nowNanos) {
    long first = oldest();
    if (count == 0 || at(first) > toNanos) {
      return OptionalLong.empty();
    }
    long longest = -1;
    for (long i = first + 1; i < count; i++) {
      long a = at(i - 1);
      long b = at(i);
      if (b >= fromNanos && a <= toNanos) {
        longest = Math.max(longest, b - a);
      }
    }
    long newest = at(count - 1);
    if (newest <= toNanos && nowNanos > newest) {
      longest = Math.max(longest, nowNanos - newest);
    }
    return longest < 0 ? OptionalLong.empty() : OptionalLong.of(longest / 1_000_000);
  }

  private long oldest() {
    return Math.max(0, count - CAPACITY);
  }

  private long at(long i) {
    return nanos[(int) (i % CAPACITY)];
  }
}
