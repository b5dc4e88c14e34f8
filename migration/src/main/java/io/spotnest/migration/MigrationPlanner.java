package io.spotnest.migration;

import java.time.Duration;

/**
 * Predicts a live migration from guest RAM, measured link bandwidth, measured dirty rate and
 * overlay size.
 *
 * <p>Pre-copy model: the first pass sends the written disk blocks, the guest's non-zero pages in
 * full and each zero page as a record of {@value #ZERO_PAGE_RECORD_BYTES} bytes (QEMU's page header
 * and fill byte); each later pass re-sends what the guest dirtied during the previous one, never
 * more than its working set (all of RAM when it was not measured; never less than what the guest
 * was seen to change over the dirty rate's longer calculation) and, after a pass no longer than
 * that calculation, never more than it saw changed; it stops when the rest fits in the downtime
 * limit. Auto-converge throttles the guest like QEMU does (20 %, then +10 %, at most 99 %, at every
 * second pass that dirtied more than half of what it sent), which slows a guest's writes only once
 * the throttle leaves its vCPUs less time than it keeps them busy ({@link
 * MigrationInputs#vcpuBusyShare}: a guest writing at a paced rate with little CPU is slowed only
 * near 99 %). Post-copy, when the policy allows it, switches after the policy's pre-copy time and
 * then pulls once what the guest changed during the last pass (with a measured working set, counted
 * as its measurement counts it; without one, at most what the guest was seen to change per window
 * of the dirty rate's longer calculation).
 */
public final class MigrationPlanner {

  private static final int MAX_PASSES = 60;

  /** What QEMU sends for a zero page: an 8-byte page header and the fill byte. */
  static final int ZERO_PAGE_RECORD_BYTES = 9;

  private static final int PAGE = 4096;
  private final double linkEfficiency;
  private final Duration setupTime;

  /**
   * @param linkEfficiency fraction of the link's bandwidth a migration stream achieves (measured by
   *     the bench)
   * @param setupTime fixed cost of starting the destination and handshakes
   */
  public MigrationPlanner(double linkEfficiency, Duration setupTime) {
    if (!(linkEfficiency > 0 && linkEfficiency <= 1)) {
      throw new IllegalArgumentException("linkEfficiency must be in (0, 1], was " + linkEfficiency);
    }
    if (setupTime == null || setupTime.isNegative()) {
      throw new IllegalArgumentException("setupTime must be zero or positive, was " + setupTime);
    }
    this.linkEfficiency = linkEfficiency;
    this.setupTime = setupTime;
  }

  /**
   * Set-up plus the first pass (disk and all of RAM): the earliest moment QEMU accepts a post-copy
   * switch.
   */
  Duration firstPass(MigrationInputs in, MigrationSettings s) {
    return seconds(setupTime.toMillis() / 1000.0 + firstPassBytes(in) / bandwidth(in, s));
  }

  /** Disk blocks, non-zero pages in full, zero pages as records. */
  private static double firstPassBytes(MigrationInputs in) {
    double zeroPages = (in.ramBytes() - in.nonZeroRamBytes()) / (double) PAGE;
    return in.diskBytes() + (double) in.nonZeroRamBytes() + zeroPages * ZERO_PAGE_RECORD_BYTES;
  }

  /** The bandwidth a migration stream achieves, in bytes/s. */
  private double bandwidth(MigrationInputs in, MigrationSettings s) {
    return offeredBandwidth(in, s) * linkEfficiency;
  }

  /**
   * The bandwidth offered to the stream: the link's, or the settings' cap when lower, in bytes/s.
   */
  double offeredBandwidth(MigrationInputs in, MigrationSettings s) {
    double bw = in.linkBytesPerSecond();
    if (s.bandwidthMiBps() > 0) {
      bw = Math.min(bw, s.bandwidthMiBps() * 1024.0 * 1024.0);
    }
    return bw;
  }

  /** This planner with a measured link efficiency and set-up time ({@link LinkCalibration}). */
  MigrationPlanner calibrated(double efficiency, Duration setup) {
    return new MigrationPlanner(efficiency, setup);
  }

  double linkEfficiency() {
    return linkEfficiency;
  }

  Duration setupTime() {
    return setupTime;
  }

  public MigrationPlan plan(MigrationInputs in, MigrationSettings s) {
    double bw = bandwidth(in, s);
    double downtimeLimit = s.maxDowntime().toMillis() / 1000.0;
    double t = setupTime.toMillis() / 1000.0;
    double sent = firstPassBytes(in);
    double pass = sent / bw;
    t += pass;
    int passes = 1;
    double throttle = 0;
    int highSyncs = 0;
    double switchAt =
        s.postCopy().allowed() ? s.postCopy().switchAfter().toMillis() / 1000.0 : Double.MAX_VALUE;
    while (true) {
      double dirty = in.dirtyBytesPerSecond() * throttled(throttle, in.vcpuBusyShare());
      double remaining = dirtiedDuring(in, dirty, pass);
      double finish = remaining / bw;
      if (finish <= downtimeLimit) {
        return done(in, s, t + finish, finish, sent + remaining, passes, false);
      }
      if (t >= switchAt || (passes >= MAX_PASSES && s.postCopy().allowed())) {
        // post-copy: the guest resumes on the destination at once; the rest is pulled in one pass
        double tail = postCopyTail(in, dirty, pass, remaining);
        return done(in, s, t + tail / bw, 0.05, sent + tail, passes, true);
      }
      if (passes >= MAX_PASSES) {
        return infeasible(
            in,
            s,
            t,
            sent,
            passes,
            String.format(
                "pre-copy does not converge: the guest dirties %.0f MiB/s against %.0f MiB/s of usable bandwidth%s",
                in.dirtyBytesPerSecond() / 1048576.0,
                bw / 1048576.0,
                s.autoConverge() ? "" : "; allow auto-converge or post-copy"));
      }
      pass = remaining / bw;
      t += pass;
      sent += remaining;
      passes++;
      // QEMU raises the throttle at every second memory sync whose period dirtied more than half
      // of what it sent
      if (s.autoConverge()
          && passes >= 2
          && dirtiedDuring(in, dirty, pass) > 0.5 * remaining
          && ++highSyncs >= 2) {
        highSyncs = 0;
        throttle = throttle == 0 ? 0.2 : Math.min(0.99, throttle + 0.1);
      }
    }
  }

  /**
   * The part of its writes a guest keeps under auto-converge's {@code throttle}: QEMU sleeps each
   * vCPU for that share of the wall time, so a guest that keeps its vCPUs busy a share {@code u} of
   * the time is not slowed until the throttle leaves it less than that, then in proportion, (1 −
   * throttle) / u. A guest busy all the time (u = 1) is slowed by the throttle itself.
   */
  static double throttled(double throttle, double vcpuBusyShare) {
    return Math.min(1, (1 - throttle) / vcpuBusyShare);
  }

  /**
   * What a pass of {@code pass} seconds leaves to re-send, for a guest writing {@code dirty} bytes
   * a second: what it writes, never more than its working set, and for a pass no longer than the
   * window of the dirty rate's longer calculation never more than that window saw changed. What a
   * guest changes in a window grows with the window, so a shorter one changes no more, whatever the
   * guest's model; the working set (solved for random rewrites, two standard deviations added) then
   * counts only for longer passes (bench run 9: a guest cycling over 64 MiB, 69 MiB seen changed in
   * 5 s, read as a 92 MiB working set that every 3 s pass of auto-converge re-sent: 1.44 x the
   * move).
   */
  private static double dirtiedDuring(MigrationInputs in, double dirty, double pass) {
    double written = Math.min(workingSet(in), dirty * pass);
    double window = in.changedOver().toNanos() / 1e9;
    boolean withinWindow = in.changedBytes() > 0 && window > 0 && pass <= window;
    return withinWindow ? Math.min(written, in.changedBytes()) : written;
  }

  /**
   * The working set to plan with: never less than what the guest was seen to change over a window
   * (a working set read below it is a low read, and would make the plan optimistic).
   */
  private static double workingSet(MigrationInputs in) {
    return Math.max(in.workingSetBytes(), in.changedBytes());
  }

  /**
   * What post-copy pulls after a switch at the end of a pass of {@code pass} seconds: the pages the
   * guest changed during it. A measured working set W was solved from the pages the guest changes
   * in p seconds, W·(1 − e^(−r·p/W)) ({@link DirtyRateReadings}), and the tail is counted the same
   * way (it reads a guest that cycles over its working set high, the safe side). Without one, what
   * the guest was seen to change in a window of s seconds, C, bounds it: the pages a guest changes
   * in a window grow ever more slowly with the window (each second adds only pages the window has
   * not touched yet), so a pass of p ≥ s seconds changes at most C·p/s, and one of p ≤ s at most C.
   * That bound needs no model of the guest and may be above the rate times the pass (it is a second
   * reading, not capped by the first). With both, the working set's tail is kept within that bound
   * and, for a pass of p ≥ s, at least C (the working set is read with two standard deviations
   * added, and solved for random rewrites, which reads a guest cycling over it high). Without
   * either, every page written may be a new one ({@code remaining}).
   */
  private static double postCopyTail(
      MigrationInputs in, double dirtyBytesPerSecond, double pass, double remaining) {
    double w = workingSet(in);
    double window = in.changedOver().toNanos() / 1e9;
    boolean seen = in.changedBytes() > 0 && window > 0;
    double upper =
        seen ? Math.min(in.ramBytes(), in.changedBytes() * Math.max(1, pass / window)) : 0;
    if (w >= in.ramBytes()) {
      return seen ? upper : remaining;
    }
    double tail = Math.min(remaining, w * (1 - Math.exp(-dirtyBytesPerSecond * pass / w)));
    if (!seen) {
      return tail;
    }
    // the working set carries two standard deviations of its count on top (the safe side), which
    // may take it past what the window's own count bounds; and a pass at least as long as the
    // window changes no less than the window did
    double lower = pass >= window ? Math.min(remaining, in.changedBytes()) : 0;
    return Math.max(lower, Math.min(upper, tail));
  }

  private static MigrationPlan done(
      MigrationInputs in,
      MigrationSettings s,
      double total,
      double downtime,
      double bytes,
      int passes,
      boolean postCopy) {
    Duration predicted = seconds(total);
    boolean feasible = predicted.compareTo(in.deadline()) <= 0;
    return new MigrationPlan(
        in,
        s,
        predicted,
        seconds(downtime),
        (long) bytes,
        passes,
        postCopy,
        feasible,
        feasible
            ? ""
            : String.format(
                "predicted %.1f s exceeds the deadline of %.1f s",
                total, in.deadline().toMillis() / 1000.0));
  }

  private static MigrationPlan infeasible(
      MigrationInputs in, MigrationSettings s, double t, double sent, int passes, String reason) {
    return new MigrationPlan(
        in, s, seconds(t), Duration.ZERO, (long) sent, passes, false, false, reason);
  }

  private static Duration seconds(double s) {
    return Duration.ofNanos((long) (s * 1e9));
  }
}
