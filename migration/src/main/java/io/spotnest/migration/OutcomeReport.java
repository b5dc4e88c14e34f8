package io.spotnest.migration;

import io.spotnest.migration.RecoveryPlan.Keep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns a settled run into its {@link MigrationOutcome} (statistics read from the destination on
 * success).
 */
final class OutcomeReport {

  private final MigrationRequest req;
  private final Hypervisor src;
  private final Hypervisor dst;
  private final MigrationPlan plan;
  private final Tuning tuning;
  private final BoundedCalls calls;
  private final long startedNanos;

  OutcomeReport(
      MigrationRequest req,
      Hypervisor src,
      Hypervisor dst,
      MigrationPlan plan,
      Tuning tuning,
      BoundedCalls calls,
      long startedNanos) {
    this.req = req;
    this.src = src;
    this.dst = dst;
    this.plan = plan;
    this.tuning = tuning;
    this.calls = calls;
    this.startedNanos = startedNanos;
  }

  MigrationOutcome succeeded(
      RunRecovery.Settled settled, MigrationWatch.Result w, List<String> notes) {
    Duration total = Duration.ofNanos(System.nanoTime() - startedNanos);
    JobStats done = read(() -> dst.completedJobStats(req.vmName()), JobStats.none());
    long memory = done.get("memory_processed");
    long disk = done.get("disk_processed");
    long iterations = done.get("memory_iteration");
    MigrationProgress last = w.last();
    if (done.fields().isEmpty() && last != null) {
      // after post-copy libvirt keeps no completed statistics: report the last sample
      memory = last.memoryProcessed() + last.memoryRemaining();
      disk = last.diskProcessed();
      iterations = last.iteration();
    }
    if (req.settings().copyStorage()) {
      // libvirt keeps no disk figures for an NBD copy in the completed statistics: measure what
      // arrived
      disk =
          Math.max(
              disk,
              read(
                  () ->
                      dst.workspaceDisk(req.vmName())
                          .map(WorkspaceDisk::allocationBytes)
                          .orElse(0L),
                  0L));
    }
    List<String> all = new ArrayList<>(notes);
    all.addAll(settled.notes());
    if (!settled.source().reachable()) {
      all.add(
          "source "
              + src.endpoint().name()
              + " did not answer: its clean-up is left to reconciliation");
    }
    String message =
        (w.error() == null
                ? "migrated"
                : "migrated (libvirt reported: " + w.error().getMessage() + ")")
            + (all.isEmpty() ? "" : " [" + String.join("; ", all) + "]");
    return new MigrationOutcome(
        req.vmName(),
        Optional.of(dst.endpoint().name()),
        true,
        Optional.empty(),
        message,
        total,
        Duration.ofMillis(done.get("downtime")),
        memory,
        disk,
        iterations,
        w.switchedToPostCopy(),
        plan,
        tuning,
        w.postCopyResumes());
  }

  MigrationOutcome failed(
      RunRecovery.Settled settled,
      FailureKind kind,
      String message,
      MigrationWatch.Result w,
      List<String> notes) {
    Duration total = Duration.ofNanos(System.nanoTime() - startedNanos);
    List<String> all = new ArrayList<>(notes);
    all.addAll(settled.notes());
    Optional<String> runningOn =
        settled.plan().resumesPostCopy()
            ? Optional.empty() // it runs nowhere until its post-copy is resumed
            : switch (settled.plan().keep()) {
              case SOURCE -> Optional.of(src.endpoint().name());
              case DESTINATION -> Optional.of(dst.endpoint().name());
              case NOWHERE, UNDECIDED -> Optional.empty();
            };
    if (settled.plan().resumesPostCopy()) {
      all.add("left for a post-copy resume: " + settled.plan().reason());
    } else if (settled.plan().keep() != Keep.SOURCE || !settled.destination().reachable()) {
      all.add(
          settled.plan().keep() == Keep.UNDECIDED
              ? "left to reconciliation: " + settled.plan().reason()
              : settled.plan().reason());
    }
    MigrationProgress last = w == null ? null : w.last();
    return new MigrationOutcome(
        req.vmName(),
        runningOn,
        false,
        Optional.of(kind),
        message + (all.isEmpty() ? "" : " [" + String.join("; ", all) + "]"),
        total,
        Duration.ZERO,
        last == null ? 0 : last.memoryProcessed(),
        last == null ? 0 : last.diskProcessed(),
        last == null ? 0 : last.iteration(),
        w != null && w.switchedToPostCopy(),
        plan,
        tuning,
        w == null ? 0 : w.postCopyResumes());
  }

  private <T> T read(Supplier<T> s, T otherwise) {
    try {
      return calls.call(dst.endpoint().name(), "completed statistics", s);
    } catch (RuntimeException e) {
      return otherwise;
    }
  }
}
