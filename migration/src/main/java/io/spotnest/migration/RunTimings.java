package io.spotnest.migration;

import java.time.Duration;

/**
 * Time limits of a migration run.
 *
 * @param callTimeout longest a hypervisor call (job statistics, abort, state) may take before its
 *     host counts as not answering
 * @param callGrace how long past the deadline libvirt's migrate call may take to return (an abort
 *     normally ends it in a second; a post-copy both hosts still show in flight cannot be aborted);
 *     after that the run stops waiting and leaves the VM to reconciliation. A broken post-copy is
 *     not given it ({@link MigrationWatch})
 * @param abortRepeat an abort is repeated this often until the call returns (one that lands between
 *     two phases of libvirt's job may be refused)
 * @param settleTimeout how long recovery waits for a job that is still being torn down after the
 *     call returned
 * @param stuckCallExit how long after a pre-copy's abort at the deadline (or on a cancel) a call
 *     that has not returned is waited for while the source runs on: then the VM is known to stay on
 *     the source (QEMU took the abort) and the run ends with the destination left to reconciliation
 *     (libvirt's call may wait minutes for a destination whose link was cut). Inside the engine's
 *     safety margin, so the caller's deadline is kept.
 * @param probeInterval how often a paused post-copy's hosts are probed for their return
 * @param stallLook how long a copy may send nothing before the engine looks at both hosts and notes
 *     what it saw ({@link CopyStall}); again every such period while nothing moves
 */
record RunTimings(
    Duration callTimeout,
    Duration callGrace,
    Duration abortRepeat,
    Duration settleTimeout,
    Duration stuckCallExit,
    Duration probeInterval,
    Duration stallLook) {

  static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

  /** A copy that sent nothing for this long is looked at (a healthy one starts within seconds). */
  static final Duration STALL_LOOK = Duration.ofSeconds(20);

  /** With the default stall look. */
  RunTimings(
      Duration callTimeout,
      Duration callGrace,
      Duration abortRepeat,
      Duration settleTimeout,
      Duration stuckCallExit,
      Duration probeInterval) {
    this(
        callTimeout,
        callGrace,
        abortRepeat,
        settleTimeout,
        stuckCallExit,
        probeInterval,
        STALL_LOOK);
  }

  /** With the default probe interval. */
  RunTimings(
      Duration callTimeout,
      Duration callGrace,
      Duration abortRepeat,
      Duration settleTimeout,
      Duration stuckCallExit) {
    this(callTimeout, callGrace, abortRepeat, settleTimeout, stuckCallExit, PROBE_INTERVAL);
  }

  /** Without an early exit for a stuck call: the grace period alone bounds it. */
  RunTimings(
      Duration callTimeout, Duration callGrace, Duration abortRepeat, Duration settleTimeout) {
    this(callTimeout, callGrace, abortRepeat, settleTimeout, callGrace);
  }

  /** The same timings with another probe interval. */
  RunTimings withProbeInterval(Duration probe) {
    return new RunTimings(
        callTimeout, callGrace, abortRepeat, settleTimeout, stuckCallExit, probe, stallLook);
  }

  /** The same timings with another stall look period. */
  RunTimings withStallLook(Duration look) {
    return new RunTimings(
        callTimeout, callGrace, abortRepeat, settleTimeout, stuckCallExit, probeInterval, look);
  }

  static RunTimings defaults() {
    return new RunTimings(
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(3));
  }
}
