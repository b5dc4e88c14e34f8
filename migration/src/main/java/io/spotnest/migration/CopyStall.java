package io.spotnest.migration;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Says what the engine saw when a copy sends nothing: once the source's job has reported no memory
 * and no disk bytes for {@link RunTimings#stallLook()}, it looks at both hosts (the VM's state on
 * each, and whether the destination holds an incoming copy) and keeps the source's last job
 * statistics, so an outcome of "0 MiB, 0 passes" tells a job stuck in libvirt's set-up from one
 * whose statistics could not be read. A look is made again every stall period while nothing moves;
 * the first and the latest go into the outcome. Looks are bounded by calls of their own and are
 * skipped when the deadline is too close for one.
 */
final class CopyStall {

  /** Longest one call of a look may take (the host's own call timeout when that is shorter). */
  static final Duration LOOK_TIMEOUT = Duration.ofSeconds(3);

  /** libvirt's VIR_DOMAIN_JOB_UNBOUNDED: a job of unknown length, as a migration's is. */
  private static final int UNBOUNDED = 2;

  private final Hypervisor src;
  private final Hypervisor dst;
  private final String vm;
  private final Duration every;
  private final Duration lookTimeout;
  private JobStats lastJob;
  private int readings;
  private int noJob;
  private int unreadable;
  private String lastFailure;
  private boolean moved;
  private int looks;
  private Instant nextLook;
  private String first;
  private String latest;

  CopyStall(Hypervisor src, Hypervisor dst, String vm, RunTimings timings) {
    this.src = src;
    this.dst = dst;
    this.vm = vm;
    this.every = timings.stallLook();
    this.lookTimeout =
        timings.callTimeout().compareTo(LOOK_TIMEOUT) < 0 ? timings.callTimeout() : LOOK_TIMEOUT;
  }

  /** A job-statistics reading of the source. */
  void read(JobStats js) {
    readings++;
    lastJob = js;
    if (js.get("memory_processed") > 0 || js.get("disk_processed") > 0) {
      moved = true;
    }
  }

  /** A job-statistics reading of the source that found no job (not started yet, or ended). */
  void noJob() {
    noJob++;
  }

  /** A job-statistics reading of the source that failed. */
  void unreadable(RuntimeException e) {
    unreadable++;
    lastFailure = e.getMessage();
  }

  /**
   * Looks at both hosts when nothing has moved for a stall period since {@code started} (and again
   * every period), unless fewer than three look timeouts (the calls of one look) are left before
   * {@code deadline}.
   */
  void check(Instant now, Instant started, Instant deadline) {
    if (moved) {
      return;
    }
    if (nextLook == null) {
      nextLook = started.plus(every);
    }
    if (now.isBefore(nextLook)) {
      return;
    }
    nextLook = now.plus(every);
    if (Duration.between(now, deadline).compareTo(lookTimeout.multipliedBy(3)) < 0) {
      return;
    }
    String seen =
        String.format(
            Locale.ROOT,
            "nothing sent %.1f s into the copy: %s; %s: %s; %s: %s",
            Duration.between(started, now).toMillis() / 1000.0,
            job(),
            src.endpoint().name(),
            look(src, false),
            dst.endpoint().name(),
            look(dst, true));
    looks++;
    if (first == null) {
      first = seen;
    } else {
      latest = seen;
    }
  }

  /** What the looks saw, for the outcome; empty when the copy moved bytes or no look was made. */
  Optional<String> note() {
    if (moved || first == null) {
      return Optional.empty();
    }
    return Optional.of(
        latest == null ? first : first + "; " + looks + " looks, the latest: " + latest);
  }

  private String job() {
    String tally =
        readings
            + " readings, "
            + noJob
            + " with no job, "
            + unreadable
            + " unreadable"
            + (lastFailure == null ? "" : " (the last: " + lastFailure + ")");
    if (lastJob == null) {
      return "no job statistics of " + src.endpoint().name() + " read (" + tally + ")";
    }
    return String.format(
        Locale.ROOT,
        "%s's job type %d%s, operation %d%s, elapsed %.1f s, memory %d/%d MiB, disk %d/%d MiB,"
            + " fields %s (%s)",
        src.endpoint().name(),
        lastJob.type(),
        lastJob.type() == UNBOUNDED ? " (unbounded)" : "",
        lastJob.operation(),
        lastJob.operation() == JobStats.OPERATION_MIGRATION_OUT ? " (migration out)" : "",
        lastJob.get("time_elapsed") / 1000.0,
        lastJob.get("memory_processed") >> 20,
        lastJob.get("memory_total") >> 20,
        lastJob.get("disk_processed") >> 20,
        lastJob.get("disk_total") >> 20,
        new TreeSet<>(lastJob.fields().keySet()),
        tally);
  }

  /** The VM's state on a host and, on the destination, its incoming job; bounded. */
  private String look(Hypervisor h, boolean destination) {
    try (BoundedCalls calls = new BoundedCalls(lookTimeout)) {
      String name = h.endpoint().name();
      VmStatus s = calls.call(name, "the VM's state", () -> h.status(vm));
      if (!s.present()) {
        return destination ? "no domain of the VM (no incoming copy)" : "no domain of the VM";
      }
      if (!destination) {
        return s.toString();
      }
      try {
        JobStats j = calls.call(name, "job statistics", () -> h.jobStats(vm));
        return s
            + (j.operation() == JobStats.OPERATION_MIGRATION_IN
                ? ", an incoming copy with its job"
                : j.active() ? ", a job of operation " + j.operation() : ", no job");
      } catch (RuntimeException e) {
        return s + ", its job unreadable (" + e.getMessage() + ")";
      }
    } catch (RuntimeException e) {
      return "did not answer (" + e.getMessage() + ")";
    }
  }
}
