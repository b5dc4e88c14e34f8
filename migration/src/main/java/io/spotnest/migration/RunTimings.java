package io.spotnest.migration;

import java.time.Duration;

/**
 * Time limits of a migration run.
 *
 * <p>How the caller's deadline is kept although a call may take {@code callTimeout}, more than the
 * margin (10 s against 5 s): with a safety margin, every call of a run is bounded by the time left
 * until the watch's end (the caller's deadline less {@code endReserve}), and, once the watch is
 * over, until the caller's deadline ({@link BoundedCalls#endBy}); a host that did not answer a call
 * so cut short is not asked again in the run. So the watch's end game (the abort, the post-copy
 * "broken" check, the state reads with their fresh-connection retry) ends by its end plus at most
 * one floor per host, and settling and reporting, left {@code endReserve} less those floors, end by
 * the caller's deadline, whatever the chain of calls: only calls to hosts that answer remain, and
 * they answer in milliseconds. Making the margin cover the longest chain instead would need minutes
 * (a state read with its retry is three calls, on each of two hosts, twice). A post-copy both hosts
 * still show in flight and sending is the one exception: it cannot be aborted and gets {@code
 * callGrace}. An engine without a margin (the tests') treats the deadline as the abort time and
 * bounds calls by {@code callTimeout} alone.
 *
 * @param callTimeout longest a hypervisor call (job statistics, abort, state) may take before its
 *     host counts as not answering
 * @param callGrace how long past the deadline libvirt's migrate call may take to return (an abort
 *     normally ends it in a second; a post-copy both hosts still show in flight cannot be aborted);
 *     after that the run stops waiting and leaves the VM to reconciliation. A broken post-copy is
 *     not given it, nor (with a safety margin) one that sent nothing from the deadline to the
 *     watch's end ({@link MigrationWatch})
 * @param abortRepeat an abort is repeated this often until the call returns (one that lands between
 *     two phases of libvirt's job may be refused)
 * @param settleTimeout how long recovery waits for a job that is still being torn down after the
 *     call returned (with a safety margin, never past the caller's deadline)
 * @param stuckCallExit how long after a pre-copy's abort at the deadline (or on a cancel) a call
 *     that has not returned is waited for while the source runs on: then the VM is known to stay on
 *     the source (QEMU took the abort) and the run ends with the destination left to reconciliation
 *     (libvirt's call may wait minutes for a destination whose link was cut). Shorter than the
 *     engine's safety margin less {@code endReserve} (3 s of 5 s less 1 s), so the caller's
 *     deadline is kept.
 * @param probeInterval how often a paused post-copy's hosts are probed for their return
 * @param stallLook how long a copy may send nothing before the engine looks at both hosts and notes
 *     what it saw ({@link CopyStall}); again every such period while nothing moves
 * @param endReserve the part of the engine's safety margin (at most half of it) kept for settling
 *     and reporting: the watch stops waiting for a pre-copy's call this long before the caller's
 *     deadline
 * @param callFloor the least time a call is given once the time left before the caller's deadline
 *     is shorter
 */
record RunTimings(
    Duration callTimeout,
    Duration callGrace,
    Duration abortRepeat,
    Duration settleTimeout,
    Duration stuckCallExit,
    Duration probeInterval,
    Duration stallLook,
    Duration endReserve,
    Duration callFloor) {

  static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

  /** A copy that sent nothing for this long is looked at (a healthy one starts within seconds). */
  static final Duration STALL_LOOK = Duration.ofSeconds(20);

  /** Kept before the caller's deadline for settling and reporting. */
  static final Duration END_RESERVE = Duration.ofSeconds(1);

  /** A state read of a host that answers takes milliseconds. */
  static final Duration CALL_FLOOR = Duration.ofMillis(200);

  /**
   * With the default probe interval, stall look, end reserve and call floor, and without an early
   * exit for a stuck call: the grace period alone bounds it ({@link #withStuckCallExit} sets one).
   */
  RunTimings(
      Duration callTimeout, Duration callGrace, Duration abortRepeat, Duration settleTimeout) {
    this(
        callTimeout,
        callGrace,
        abortRepeat,
        settleTimeout,
        callGrace,
        PROBE_INTERVAL,
        STALL_LOOK,
        END_RESERVE,
        CALL_FLOOR);
  }

  /** The same timings with another early exit for a stuck call. */
  RunTimings withStuckCallExit(Duration exit) {
    return new RunTimings(
        callTimeout,
        callGrace,
        abortRepeat,
        settleTimeout,
        exit,
        probeInterval,
        stallLook,
        endReserve,
        callFloor);
  }

  /** The same timings with another probe interval. */
  RunTimings withProbeInterval(Duration probe) {
    return new RunTimings(
        callTimeout,
        callGrace,
        abortRepeat,
        settleTimeout,
        stuckCallExit,
        probe,
        stallLook,
        endReserve,
        callFloor);
  }

  /** The same timings with another stall look period. */
  RunTimings withStallLook(Duration look) {
    return new RunTimings(
        callTimeout,
        callGrace,
        abortRepeat,
        settleTimeout,
        stuckCallExit,
        probeInterval,
        look,
        endReserve,
        callFloor);
  }

  /**
   * The instant the watch of a run stops waiting for a pre-copy's call: {@code endReserve} (at most
   * half the margin) before the caller's deadline; null without a margin.
   */
  java.time.Instant watchEnd(java.time.Instant callerDeadline, Duration margin) {
    if (margin.isZero() || margin.isNegative()) {
      return null;
    }
    Duration half = margin.dividedBy(2);
    return callerDeadline.minus(endReserve.compareTo(half) < 0 ? endReserve : half);
  }

  static RunTimings defaults() {
    return new RunTimings(
            Duration.ofSeconds(10),
            Duration.ofSeconds(60),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10))
        .withStuckCallExit(Duration.ofSeconds(3));
  }
}
