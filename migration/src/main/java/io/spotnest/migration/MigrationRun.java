package io.spotnest.migration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One migration in flight: prepares the destination ({@link DestinationDisk}), makes libvirt's migrate call on a
 * thread of its own, watches it ({@link MigrationWatch}), then checks where the VM runs, repairing the source after
 * a failure ({@link RunRecovery}).
 */
final class MigrationRun {

  private final MigrationRequest req;
  private final Hypervisor src;
  private final Hypervisor dst;
  private final MigrationPlan plan;
  private final MigrationListener listener;
  private final Clock clock;
  private final RunRecovery recovery;
  private boolean createdOverlay;
  private boolean switchedToPostCopy;
  private MigrationProgress last;

  MigrationRun(MigrationRequest req, Hypervisor src, Hypervisor dst, HypervisorFactory factory, MigrationPlan plan,
      MigrationListener listener, Clock clock) {
    this.req = req;
    this.src = src;
    this.dst = dst;
    this.plan = plan;
    this.listener = listener;
    this.clock = clock;
    this.recovery = new RunRecovery(src, dst, factory, req.vmName());
  }

  MigrationOutcome execute() {
    MigrationSettings s = req.settings();
    long started = System.nanoTime();
    Instant startedAt = clock.instant();
    try {
      if (s.copyStorage()) {
        DestinationDisk.prepare(src, dst, req.vmName());
        createdOverlay = true;
      }
      src.setMaxDowntime(req.vmName(), s.maxDowntime());
    } catch (MigrationException e) {
      return failed(started, FailureKind.HYPERVISOR_ERROR, "preparing the destination failed: " + e.getMessage());
    }
    CompletableFuture<Void> call = CompletableFuture.runAsync(
        () -> src.migrate(req.vmName(), dst.endpoint(), s), MigrationRun::ownThread);
    MigrationWatch.Result w = new MigrationWatch(src, req.vmName(), s, req.deadline(), clock, listener)
        .watch(call, startedAt);
    switchedToPostCopy = w.switchedToPostCopy();
    last = w.last();
    if (w.error() == null) {
      return succeeded(started);
    }
    String msg = w.error() instanceof MigrationException m ? m.getMessage() : String.valueOf(w.error());
    if (w.abortedAtDeadline()) {
      return failed(started, FailureKind.DEADLINE_EXCEEDED, "aborted at the deadline " + req.deadline() + ": " + msg);
    }
    boolean destinationUp = recovery.destinationAlive();
    return failed(started, destinationUp ? FailureKind.HYPERVISOR_ERROR : FailureKind.HOST_FAILED,
        (destinationUp ? "" : "destination " + dst.endpoint().name() + " failed during the copy: ") + msg);
  }

  private MigrationOutcome succeeded(long started) {
    Duration total = Duration.ofNanos(System.nanoTime() - started);
    VmState there = dst.state(req.vmName());
    VmState here = src.state(req.vmName());
    if (there != VmState.RUNNING || here == VmState.RUNNING) {
      return failed(started, FailureKind.HYPERVISOR_ERROR,
          "libvirt reported success but the VM is " + there + " on the destination and " + here + " on the source");
    }
    JobStats done = completedStats();
    long memory = done.get("memory_processed");
    long disk = done.get("disk_processed");
    long iterations = done.get("memory_iteration");
    if (done.fields().isEmpty() && last != null) {
      // after post-copy libvirt keeps no completed statistics: report the last sample
      memory = last.memoryProcessed() + last.memoryRemaining();
      disk = last.diskProcessed();
      iterations = last.iteration();
    }
    if (req.settings().copyStorage()) {
      // libvirt keeps no disk figures for an NBD copy in the completed statistics: measure what arrived
      disk = Math.max(disk, destinationOverlayBytes());
    }
    src.deleteVolume(req.vmName() + ".qcow2");
    return new MigrationOutcome(req.vmName(), Optional.of(dst.endpoint().name()), true, Optional.empty(), "migrated",
        total, Duration.ofMillis(done.get("downtime")), memory, disk, iterations, switchedToPostCopy, plan);
  }

  private long destinationOverlayBytes() {
    try {
      return dst.workspaceDisk(req.vmName()).map(WorkspaceDisk::allocationBytes).orElse(0L);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private JobStats completedStats() {
    try {
      return dst.completedJobStats(req.vmName());
    } catch (RuntimeException e) {
      return JobStats.none();
    }
  }

  private MigrationOutcome failed(long started, FailureKind kind, String message) {
    List<String> notes = new ArrayList<>();
    Optional<String> runningOn = recovery.recover(switchedToPostCopy, createdOverlay, notes);
    Duration total = Duration.ofNanos(System.nanoTime() - started);
    return new MigrationOutcome(req.vmName(), runningOn, false, Optional.of(kind),
        message + (notes.isEmpty() ? "" : " [" + String.join("; ", notes) + "]"), total, Duration.ZERO,
        last == null ? 0 : last.memoryProcessed(), last == null ? 0 : last.diskProcessed(),
        last == null ? 0 : last.iteration(), switchedToPostCopy, plan);
  }

  /** A thread per migration call: the shared pool has one worker on 2 cores, and a call may outlive its run. */
  private static void ownThread(Runnable r) {
    Thread t = new Thread(r, "spotnest-migrate");
    t.setDaemon(true);
    t.start();
  }
}
