package io.spotnest.strategy.data;

import java.util.List;

/**
 * A trace resampled to whole minutes: whether the pool had an instance, when the current run of
 * capacity began, and the minutes at which reclamations were observed (the trace tick at which the
 * count dropped).
 */
public final class MinuteTimeline {
  private final int minutes;
  private final boolean[] up;
  private final int[] upSince;
  private final double[] reclamations;

  private MinuteTimeline(int minutes, boolean[] up, int[] upSince, double[] reclamations) {
    this.minutes = minutes;
    this.up = up;
    this.upSince = upSince;
    this.reclamations = reclamations;
  }

  public static MinuteTimeline of(CapacityTrace trace) {
    int minutes = (int) (trace.length().getSeconds() / 60);
    boolean[] up = new boolean[minutes];
    int[] since = new int[minutes];
    int start = -1;
    for (int m = 0; m < minutes; m++) {
      int tick = (int) ((long) m * 60 / trace.gapSeconds());
      up[m] = trace.count(tick) > 0;
      if (up[m] && start < 0) {
        start = m;
      } else if (!up[m]) {
        start = -1;
      }
      since[m] = up[m] ? start : -1;
    }
    List<Integer> ticks = trace.reclamationTicks();
    double[] rec = new double[ticks.size()];
    for (int i = 0; i < rec.length; i++) {
      rec[i] = ticks.get(i) * (double) trace.gapSeconds() / 60.0;
    }
    return new MinuteTimeline(minutes, up, since, rec);
  }

  public int minutes() {
    return minutes;
  }

  public boolean up(int minute) {
    return up[minute];
  }

  /** The minute at which the current run of capacity began, or -1 when the pool is down. */
  public int upSince(int minute) {
    return upSince[minute];
  }

  /** Observed reclamation instants, in minutes from the trace start, ascending. */
  public double[] reclamations() {
    return reclamations.clone();
  }

  public int reclamationCount() {
    return reclamations.length;
  }

  public double reclamation(int i) {
    return reclamations[i];
  }
}
