package io.spotnest.migration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.TypedParameter;
import org.libvirt.TypedStringParameter;
import org.libvirt.TypedUlongParameter;

/**
 * One migration in flight: prepares the destination disk, runs the peer-to-peer migration while sampling job
 * statistics, switches to post-copy or aborts at the deadline as the settings say, and afterwards checks where
 * the VM runs, repairing the source after a failure.
 */
final class MigrationRun {

  private static final Pattern DISK = Pattern.compile("<disk[^>]*>.*?</disk>", Pattern.DOTALL);
  private static final Pattern BACKING_SOURCE = Pattern.compile(
      "<backingStore type='file'[^>]*>.*?<source file='([^']+)'", Pattern.DOTALL);

  /** How long past the deadline the migration call may take to return (an abort normally ends it in a second). */
  private static final Duration CALL_GRACE = Duration.ofSeconds(60);
  private static final Duration ABORT_REPEAT = Duration.ofSeconds(5);

  private final MigrationRequest req;
  private final LibvirtHypervisor src;
  private final LibvirtHypervisor dst;
  private final Domain dom;
  private final MigrationPlan plan;
  private final MigrationListener listener;
  private boolean createdOverlay;
  private boolean switchedToPostCopy;
  private boolean abortedAtDeadline;
  private MigrationProgress last;

  MigrationRun(MigrationRequest req, LibvirtHypervisor src, LibvirtHypervisor dst, Domain dom, MigrationPlan plan,
      MigrationListener listener) {
    this.req = req;
    this.src = src;
    this.dst = dst;
    this.dom = dom;
    this.plan = plan;
    this.listener = listener;
  }

  MigrationOutcome execute() {
    MigrationSettings s = req.settings();
    long started = System.nanoTime();
    try {
      if (s.copyStorage()) {
        prepareDestinationDisk();
      }
      setDowntime(s.maxDowntime());
    } catch (LibvirtException | MigrationException e) {
      return failed(started, FailureKind.HYPERVISOR_ERROR, "preparing the destination failed: " + e.getMessage());
    }
    TypedParameter[] params = parameters(s);
    int flags = flags(s);
    // The blocking call gets a connection of its own: libvirt 9.0's client can lose the wake-up when a second
    // thread calls on a connection whose socket another thread is polling, and an abortJob issued right after a
    // getJobStats on the migrating connection then waits forever (seen in CI). Sampling and aborting use `dom`.
    CompletableFuture<Void> call = CompletableFuture.runAsync(() -> {
      try (LibvirtHypervisor own = LibvirtHypervisor.connect(src.endpoint())) {
        Domain migrating = own.domain(req.vmName());
        if (migrating == null) {
          throw new MigrationFailed(req.vmName() + " disappeared from " + src.endpoint().name());
        }
        migrating.migrateToURI(dst.endpoint().peerUri(), params, flags);
      } catch (LibvirtException | MigrationException e) {
        throw new MigrationFailed(e.getMessage());
      }
    }, MigrationRun::ownThread);
    Throwable error = watch(call, started, s);
    if (error == null) {
      return succeeded(started);
    }
    String msg = error instanceof MigrationFailed ? error.getMessage() : String.valueOf(error);
    if (abortedAtDeadline) {
      return failed(started, FailureKind.DEADLINE_EXCEEDED,
          "aborted at the deadline of " + req.deadline().toMillis() / 1000.0 + " s: " + msg);
    }
    boolean destinationUp = destinationAlive();
    return failed(started, destinationUp ? FailureKind.HYPERVISOR_ERROR : FailureKind.HOST_FAILED,
        (destinationUp ? "" : "destination " + dst.endpoint().name() + " failed during the copy: ") + msg);
  }

  private Throwable watch(CompletableFuture<Void> call, long started, MigrationSettings s) {
    PostCopySwitch postCopy = s.postCopy().allowed() ? new PostCopySwitch() : null;
    Duration nextAbort = req.deadline();
    while (true) {
      try {
        call.get(s.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        return null;
      } catch (TimeoutException e) {
        sample();
      } catch (ExecutionException e) {
        return e.getCause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abort();
        return e;
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
      if (postCopy != null && !switchedToPostCopy && elapsed.compareTo(s.postCopy().switchAfter()) >= 0
          && last != null && last.iteration() >= 2 && last.diskRemaining() == 0) {
        // a switch requested before the first memory pass (or while disks still copy) is refused by QEMU
        postCopy.start(src.endpoint().clientUri(), req.vmName());
        switchedToPostCopy = true;
      }
      if (!switchedToPostCopy && elapsed.compareTo(nextAbort) >= 0) {
        // repeated until the call returns: an abort that lands between two phases of libvirt's job may be refused
        abortedAtDeadline = true;
        nextAbort = elapsed.plus(ABORT_REPEAT);
        abort();
      }
      if (elapsed.compareTo(req.deadline().plus(CALL_GRACE)) >= 0) {
        // libvirt's call neither finished nor honoured the abort: stop waiting; recover() then removes the
        // incoming copy from the destination, which ends the job on the source for good
        return new MigrationFailed("the migration call did not return within " + CALL_GRACE.toSeconds()
            + " s after the deadline" + (switchedToPostCopy ? " (post-copy still running)" : ""));
      }
    }
  }

  private void sample() {
    try {
      JobStats js = JobStats.of(dom.getJobStats(0));
      if (js.active()) {
        MigrationProgress p = js.progress(switchedToPostCopy);
        listener.onProgress(p);
        // a job that is being torn down reports zeros: keep the furthest sample for the outcome
        if (last == null || p.memoryProcessed() >= last.memoryProcessed()) {
          last = p;
        }
      }
    } catch (LibvirtException e) {
      // the job may have just ended; the migration call reports the result
    }
  }

  private void abort() {
    try {
      dom.abortJob();
    } catch (LibvirtException e) {
      // already finished or failed; the migration call reports which
    }
  }

  private void setDowntime(Duration d) throws LibvirtException {
    dom.migrateSetMaxDowntime(d.toMillis());
  }

  private void prepareDestinationDisk() throws LibvirtException {
    String vol = req.vmName() + ".qcow2";
    String xml = dom.getXMLDesc(0);
    Matcher disk = DISK.matcher(xml);
    String backing = null;
    while (disk.find() && backing == null) {
      if (disk.group().contains("dev='vda'")) {
        Matcher b = BACKING_SOURCE.matcher(disk.group());
        backing = b.find() ? b.group(1) : null;
      }
    }
    if (backing == null) {
      throw new MigrationException(FailureKind.INVALID_REQUEST,
          req.vmName() + " has no qcow2 overlay with a backing image on vda; cannot copy it incrementally");
    }
    if (dst.volumeExists(vol)) {
      dst.deleteVolume(vol);   // a stale overlay from an earlier failed attempt: no VM of that name uses it
    }
    dst.createOverlay(vol, dom.blockInfo("vda").getCapacity(), backing);
    createdOverlay = true;
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
    return new MigrationOutcome(req.vmName(), Optional.of(dst.endpoint().name()), true, Optional.empty(), "migrated", total,
        Duration.ofMillis(done.get("downtime")), memory, disk, iterations, switchedToPostCopy, plan);
  }

  private long destinationOverlayBytes() {
    try {
      return dst.domain(req.vmName()).blockInfo("vda").getAllocation();
    } catch (LibvirtException | RuntimeException e) {
      return 0;
    }
  }

  private JobStats completedStats() {
    try {
      return JobStats.of(dst.domain(req.vmName()).getJobStats(JobStats.COMPLETED));
    } catch (LibvirtException | RuntimeException e) {
      return new JobStats(JobStats.NONE, Map.of());
    }
  }

  private MigrationOutcome failed(long started, FailureKind kind, String message) {
    List<String> notes = new ArrayList<>();
    Optional<String> runningOn = recover(notes);
    Duration total = Duration.ofNanos(System.nanoTime() - started);
    return new MigrationOutcome(req.vmName(), runningOn, false, Optional.of(kind),
        message + (notes.isEmpty() ? "" : " [" + String.join("; ", notes) + "]"), total, Duration.ZERO,
        last == null ? 0 : last.memoryProcessed(), last == null ? 0 : last.diskProcessed(),
        last == null ? 0 : last.iteration(), switchedToPostCopy, plan);
  }

  /**
   * Makes sure the VM runs on the source and nothing of it is left on the destination; returns where it runs.
   */
  private Optional<String> recover(List<String> notes) {
    VmState here = src.state(req.vmName());
    if (here == VmState.PAUSED && !switchedToPostCopy) {
      try {
        src.domain(req.vmName()).resume();
        notes.add("resumed the paused source");
        here = VmState.RUNNING;
      } catch (LibvirtException e) {
        notes.add("could not resume the source: " + e.getMessage());
      }
    }
    VmState there = VmState.ABSENT;
    if (destinationAlive()) {
      there = dst.state(req.vmName());
      if (there != VmState.ABSENT && here == VmState.RUNNING) {
        dst.remove(req.vmName());
        notes.add("removed the incomplete copy from the destination");
        there = VmState.ABSENT;
      } else if (createdOverlay && there == VmState.ABSENT) {
        dst.deleteVolume(req.vmName() + ".qcow2");
      }
    }
    if (here == VmState.RUNNING) {
      return Optional.of(src.endpoint().name());
    }
    if (there == VmState.RUNNING) {
      return Optional.of(dst.endpoint().name());
    }
    notes.add("the VM runs nowhere: " + here + " on " + src.endpoint().name() + ", " + there + " on "
        + dst.endpoint().name());
    return Optional.empty();
  }

  private boolean destinationAlive() {
    try (LibvirtHypervisor probe = LibvirtHypervisor.connect(dst.endpoint())) {
      probe.usedMemoryMib();
      return true;
    } catch (MigrationException e) {
      return false;
    }
  }

  private static TypedParameter[] parameters(MigrationSettings s) {
    List<TypedParameter> p = new ArrayList<>();
    if (s.bandwidthMiBps() > 0) {
      p.add(new TypedUlongParameter(Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_BANDWIDTH, s.bandwidthMiBps()));
    }
    if (s.copyStorage()) {
      p.add(new TypedStringParameter(Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_MIGRATE_DISKS, "vda"));
    }
    if (s.compression() == MigrationSettings.Compression.XBZRLE) {
      p.add(new TypedStringParameter(Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_COMPRESSION, "xbzrle"));
    }
    return p.toArray(TypedParameter[]::new);
  }

  private static int flags(MigrationSettings s) {
    int f = Domain.MigrateFlags.LIVE | Domain.MigrateFlags.PEER2PEER | Domain.MigrateFlags.PERSIST_DEST
        | Domain.MigrateFlags.UNDEFINE_SOURCE | Domain.MigrateFlags.ABORT_ON_ERROR;
    if (s.autoConverge()) {
      f |= Domain.MigrateFlags.AUTO_CONVERGE;
    }
    if (s.copyStorage()) {
      f |= Domain.MigrateFlags.NON_SHARED_INC;
    }
    if (s.compression() != MigrationSettings.Compression.NONE) {
      f |= Domain.MigrateFlags.COMPRESSED;
    }
    if (s.postCopy().allowed()) {
      f |= Domain.MigrateFlags.POSTCOPY;
    }
    return f;
  }

  /** A thread per migration call: the shared pool has one worker on 2 cores, and a call may outlive its run. */
  private static void ownThread(Runnable r) {
    Thread t = new Thread(r, "spotnest-migrate");
    t.setDaemon(true);
    t.start();
  }

  /** The migration call itself failed. */
  private static final class MigrationFailed extends RuntimeException {
    MigrationFailed(String message) {
      super(message, null, false, false);
    }
  }
}
