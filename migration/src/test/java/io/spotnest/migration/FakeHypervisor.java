package io.spotnest.migration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One in-memory host of a {@link FakeCluster}. VMs have a state with libvirt's reason, a job flag
 * and a memory size; volumes are names. A migration started on it follows its {@link Behaviour}.
 * The host can be made unreachable (every call fails as a dead host's would) or hung (every call
 * blocks until released). Every call is logged as "method vm" for assertions.
 */
final class FakeHypervisor implements Hypervisor {

  /** How a migration started on this host (as the source) behaves. */
  enum Behaviour {
    /** Completes at once: the VM runs on the destination and is undefined here. */
    COMPLETES,
    /** Copies until aborted, then fails with the source running and the incoming copy gone. */
    RUNS_UNTIL_ABORTED,
    /** Copies until switched to post-copy, then completes. */
    COMPLETES_AFTER_POST_COPY_SWITCH,
    /** libvirt's call never returns (until the test releases it). */
    NEVER_RETURNS,
    /** Runs the test's own script (see {@link #script}). */
    SCRIPTED,
    /**
     * Copies until switched to post-copy, runs {@link #postCopyFault} and breaks: the source paused
     * and the destination running, both in failed post-copy ("postcopy-paused"), the call failed.
     */
    POST_COPY_BREAKS,
    /**
     * Keeps copying (a standing copy) until the downtime limit reaches {@link #switchesOverAt} or
     * it is switched to post-copy, then completes; until aborted, then fails with the source
     * running and the incoming copy gone.
     */
    STANDS
  }

  /** A fake VM. */
  static final class Vm {
    volatile VmStatus status;
    final long memoryMib;
    final UUID uuid;
    volatile boolean job;

    /** The copy a migration is bringing in (its job is the incoming one). */
    volatile boolean incoming;

    volatile long samples;

    /** Its RAM is a file ({@link AgentVmSpec#fileMemory()}). */
    volatile boolean fileMemory;

    Vm(VmStatus status, long memoryMib, UUID uuid) {
      this.status = status;
      this.memoryMib = memoryMib;
      this.uuid = uuid;
    }
  }

  private final FakeCluster cluster;
  private final HypervisorEndpoint endpoint;
  private final Map<String, Vm> vms = new HashMap<>();
  private final Set<String> volumes = new HashSet<>();

  /** The bytes of raw volumes, by name. */
  private final Map<String, byte[]> contents = new HashMap<>();

  /** The config volume attached to each VM, by VM. */
  private final Map<String, String> configDisks = new HashMap<>();

  /** When set, {@link #createRawVolume} stores the content with its first byte flipped. */
  volatile boolean corruptsWrites;

  private final List<String> log = new ArrayList<>();
  private volatile boolean reachable = true;
  private volatile boolean hung;
  private volatile CountDownLatch released = new CountDownLatch(1);
  private volatile CountDownLatch aborted = new CountDownLatch(1);
  private volatile CountDownLatch switched = new CountDownLatch(1);
  volatile Behaviour behaviour = Behaviour.COMPLETES;

  /** For {@link Behaviour#SCRIPTED}: runs in the migrate call; throwing fails the call. */
  volatile Consumer<String> script = vm -> {};

  volatile long dirtyBytesPerSecond = 1L << 20;

  /** The working set {@link #dirtyRate} reports, none when 0. */
  volatile long workingSetBytes;

  /** Fraction of a VM's RAM {@link #nonZeroMemoryBytes} reports as non-zero pages. */
  volatile double nonZeroFraction = 1.0;

  /**
   * The share of its vCPUs' time a VM keeps them busy, as {@link #vcpuTime} reports it: each
   * reading finds one more second passed with this share of it used; 0: no reading (as a hypervisor
   * that cannot tell).
   */
  volatile double vcpuBusyShare;

  private long vcpuReadings;

  /** Runs while the dirty rate is measured (e.g. advances the test clock by the measuring time). */
  volatile Runnable whileMeasuring = () -> {};

  /** Runs while the non-zero pages are sampled (e.g. advances the test clock by its time). */
  volatile Runnable whileSamplingZeroPages = () -> {};

  volatile RuntimeException postCopyFailure;

  /** For {@link Behaviour#POST_COPY_BREAKS}: what breaks it (e.g. a host becoming unreachable). */
  volatile Runnable postCopyFault = () -> {};

  /**
   * How a post-copy resume goes: runs in the call (the VM is then complete on the destination);
   * throwing fails the call and leaves the post-copy paused.
   */
  volatile Consumer<String> onResume = vm -> {};

  /** Post-copy resumes libvirt accepted, in order (the destination's name). */
  final List<String> resumes = new java.util.concurrent.CopyOnWriteArrayList<>();

  volatile RuntimeException progressFailure;

  /**
   * When set, what {@link #jobStats} reports for a VM with a job (a job stuck in libvirt's set-up
   * reports no bytes).
   */
  volatile JobStats jobReport;

  /**
   * A job report that stands still at pass {@code iteration}: 40 MiB sent, 64 MiB left, 300 ms in
   * (an outgoing migration whose stream stopped moving).
   */
  static JobStats stalledAt(int iteration) {
    return new JobStats(
        2,
        Map.of(
            "time_elapsed",
            "300",
            "memory_processed",
            Long.toString(40L << 20),
            "memory_remaining",
            Long.toString(64L << 20),
            "memory_iteration",
            Integer.toString(iteration),
            "disk_remaining",
            "0",
            "operation",
            "5"));
  }

  /**
   * Thrown by {@link #activeVmMemoryMib()} when set (a listing racing with a domain's teardown).
   */
  volatile RuntimeException listingFailure;

  volatile long freeMib = 8192;
  volatile long freeDiskMib = 65536;

  /** Every bandwidth set by {@link #setMaxSpeed}, as "vm=MiB/s", in order. */
  final List<String> speeds = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Every downtime limit set by {@link #setMaxDowntime}, as "vm=ms", in order. */
  final List<String> downtimes = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * For {@link Behaviour#STANDS}: the downtime limit at which the stream's pending pages fit and it
   * switches over.
   */
  volatile Duration switchesOverAt = Duration.ofSeconds(1);

  /**
   * What every job report of a running stream says is still pending (memory): with its 10 MiB/s, a
   * 6.4 s switch-over by default.
   */
  volatile long pendingBytes = 64L << 20;

  private volatile Duration downtimeLimit = Duration.ofMillis(300);

  /**
   * The destination XML each migrate call passed, by VM ({@link #NO_DESTINATION_XML} when none).
   */
  final Map<String, String> destinationXmls = new java.util.concurrent.ConcurrentHashMap<>();

  static final String NO_DESTINATION_XML = "(none)";

  /** Thrown by {@link #migratableXml} when set. */
  volatile RuntimeException describeFailure;

  /** The settings each migrate call was made with, by VM. */
  final Map<String, MigrationSettings> migrateSettings =
      new java.util.concurrent.ConcurrentHashMap<>();

  FakeHypervisor(FakeCluster cluster, HypervisorEndpoint endpoint) {
    this.cluster = cluster;
    this.endpoint = endpoint;
  }

  // ---- test controls

  /** Defines a VM here with a workspace overlay. */
  FakeHypervisor put(String vm, VmStatus status, long memoryMib) {
    return put(vm, status, memoryMib, UUID.randomUUID());
  }

  /** Defines a VM here with a workspace overlay and the given UUID. */
  FakeHypervisor put(String vm, VmStatus status, long memoryMib, UUID uuid) {
    synchronized (this) {
      vms.put(vm, new Vm(status, memoryMib, uuid));
      volumes.add(vm + ".qcow2");
    }
    return this;
  }

  FakeHypervisor running(String vm) {
    return put(vm, VmStatus.of(VmState.RUNNING), 256);
  }

  synchronized Vm vm(String name) {
    return vms.get(name);
  }

  void reachable(boolean r) {
    reachable = r;
  }

  /** Every call from now on blocks until {@link #release()}. */
  void hang() {
    hung = true;
  }

  void release() {
    hung = false;
    released.countDown();
  }

  synchronized List<String> log() {
    return List.copyOf(log);
  }

  synchronized boolean hasVolume(String name) {
    return volumes.contains(name);
  }

  /** The bytes of a raw volume, null when there is none. */
  synchronized byte[] content(String volume) {
    byte[] c = contents.get(volume);
    return c == null ? null : c.clone();
  }

  boolean called(String method, String vm) {
    return log().contains(method + " " + vm);
  }

  // ---- the seam

  void requireReachable() {
    if (hung) {
      try {
        released.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        // the caller gave up on the silent host: the call never reaches it
        Thread.currentThread().interrupt();
        throw new MigrationException(
            FailureKind.HOST_FAILED, "host " + endpoint.name() + " did not answer (fake)");
      }
    }
    if (!reachable) {
      throw new MigrationException(
          FailureKind.HOST_FAILED, "host " + endpoint.name() + " does not answer (fake)");
    }
  }

  private void call(String method, String vm) {
    requireReachable();
    synchronized (this) {
      log.add(method + " " + vm);
    }
  }

  @Override
  public HypervisorEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public void start(AgentVmSpec vm) {
    call("start", vm.name());
    put(vm.name(), VmStatus.of(VmState.RUNNING), vm.memoryMib());
    vm(vm.name()).fileMemory = vm.fileMemory();
  }

  @Override
  public void start(AgentVmSpec vm, ConfigDisk config) {
    call("start", vm.name());
    String volume = ConfigDisk.volumeName(vm.name());
    synchronized (this) {
      volumes.add(volume);
      contents.put(volume, config.image());
      configDisks.put(vm.name(), volume);
    }
    put(vm.name(), VmStatus.of(VmState.RUNNING), vm.memoryMib());
  }

  @Override
  public String createRawVolume(String volumeName, byte[] content) {
    call("createRawVolume", volumeName);
    byte[] stored = content.clone();
    if (corruptsWrites && stored.length > 0) {
      stored[0] ^= 1;
    }
    synchronized (this) {
      if (!volumes.add(volumeName)) {
        throw new MigrationException(
            FailureKind.HYPERVISOR_ERROR, "volume " + volumeName + " exists (fake)");
      }
      contents.put(volumeName, stored);
    }
    return "/images/" + volumeName;
  }

  @Override
  public byte[] readVolume(String volumeName) {
    call("readVolume", volumeName);
    byte[] c = content(volumeName);
    if (c == null) {
      throw new MigrationException(
          FailureKind.HYPERVISOR_ERROR, "no raw volume " + volumeName + " (fake)");
    }
    return c;
  }

  @Override
  public Optional<String> configVolume(String vmName) {
    call("configVolume", vmName);
    existing(vmName);
    synchronized (this) {
      return Optional.ofNullable(configDisks.get(vmName));
    }
  }

  @Override
  public Optional<UUID> uuid(String vmName) {
    call("uuid", vmName);
    return Optional.ofNullable(vm(vmName)).map(v -> v.uuid);
  }

  @Override
  public VmStatus status(String vmName) {
    call("status", vmName);
    Vm v = vm(vmName);
    return v == null ? VmStatus.ABSENT : v.status;
  }

  @Override
  public Map<String, Long> activeVmMemoryMib() {
    call("activeVmMemoryMib", "");
    if (listingFailure != null) {
      throw listingFailure;
    }
    Map<String, Long> m = new HashMap<>();
    synchronized (this) {
      vms.forEach(
          (n, v) -> {
            if (v.status.state() == VmState.RUNNING || v.status.state() == VmState.PAUSED) {
              m.put(n, v.memoryMib);
            }
          });
    }
    return m;
  }

  @Override
  public long freeMemoryBytes() {
    call("freeMemoryBytes", "");
    return freeMib << 20;
  }

  @Override
  public long freeDiskBytes() {
    call("freeDiskBytes", "");
    return freeDiskMib << 20;
  }

  @Override
  public void setMaxSpeed(String vmName, long mibPerSecond) {
    call("setMaxSpeed", vmName);
    existing(vmName);
    speeds.add(vmName + "=" + mibPerSecond);
  }

  @Override
  public void remove(String vmName) {
    call("remove", vmName);
    synchronized (this) {
      vms.remove(vmName);
      volumes.remove(vmName + ".qcow2");
      volumes.remove(ConfigDisk.volumeName(vmName));
      contents.remove(ConfigDisk.volumeName(vmName));
      configDisks.remove(vmName);
    }
  }

  @Override
  public void resume(String vmName) {
    call("resume", vmName);
    Vm v = vm(vmName);
    if (v == null || v.status.state() != VmState.PAUSED) {
      throw new MigrationException(FailureKind.HYPERVISOR_ERROR, vmName + " is not paused (fake)");
    }
    v.status = VmStatus.of(VmState.RUNNING);
  }

  @Override
  public long memoryBytes(String vmName) {
    call("memoryBytes", vmName);
    return existing(vmName).memoryMib << 20;
  }

  @Override
  public Optional<WorkspaceDisk> workspaceDisk(String vmName) {
    call("workspaceDisk", vmName);
    existing(vmName);
    return Optional.of(new WorkspaceDisk("vda", "/base.qcow2", 64L << 20, 4L << 20));
  }

  @Override
  public long dirtyBytesPerSecond(String vmName, Duration window) {
    call("dirtyBytesPerSecond", vmName);
    whileMeasuring.run();
    return dirtyBytesPerSecond;
  }

  /** The longest time the engine last allowed a dirty-rate measurement (null: none asked). */
  volatile Duration longestMeasure;

  /**
   * When set, {@link #dirtyRate} measures as the lab does, with a real {@link DirtyRateMeter} on
   * these calculations, kept on {@link #calculationNanos}.
   */
  volatile DirtyRateMeter.Calculation calculations;

  volatile java.util.function.LongSupplier calculationNanos = () -> 0;

  @Override
  public DirtyRate dirtyRate(
      String vmName, Duration window, long linkBytesPerSecond, Duration longest) {
    longestMeasure = longest;
    if (calculations != null) {
      return new DirtyRateMeter(calculations, calculationNanos)
          .measure(vmName, window, memoryBytes(vmName), linkBytesPerSecond, longest);
    }
    return dirtyRate(vmName, window);
  }

  /**
   * With {@link #calculations}, as the lab does: the zero-page sample is made while the longer
   * calculation runs ({@link DirtyRateMeter.Calculation#run(String, int, Runnable)}).
   */
  @Override
  public GuestMeasurement measureGuest(
      String vmName, Duration window, long linkBytesPerSecond, Duration longest) {
    if (calculations == null) {
      return Hypervisor.super.measureGuest(vmName, window, linkBytesPerSecond, longest);
    }
    longestMeasure = longest;
    long[] nonZero = {-1};
    Optional<VcpuTime> before = vcpuTime(vmName);
    DirtyRate rate =
        new DirtyRateMeter(calculations, calculationNanos)
            .measure(
                vmName,
                window,
                memoryBytes(vmName),
                linkBytesPerSecond,
                longest,
                () -> nonZero[0] = nonZeroMemoryBytes(vmName));
    return new GuestMeasurement(nonZero[0], rate, VcpuTime.busyShare(before, vcpuTime(vmName)));
  }

  @Override
  public synchronized Optional<VcpuTime> vcpuTime(String vmName) {
    existing(vmName);
    if (vcpuBusyShare <= 0) {
      return Optional.empty();
    }
    long at = ++vcpuReadings * 1_000_000_000L;
    return Optional.of(new VcpuTime((long) (at * vcpuBusyShare), 1, at));
  }

  @Override
  public DirtyRate dirtyRate(String vmName, Duration window) {
    long rate = dirtyBytesPerSecond(vmName, window);
    return workingSetBytes > 0
        ? new DirtyRate(rate, java.util.OptionalLong.of(workingSetBytes))
        : DirtyRate.of(rate);
  }

  @Override
  public long nonZeroMemoryBytes(String vmName) {
    call("nonZeroMemoryBytes", vmName);
    whileSamplingZeroPages.run();
    return (long) ((existing(vmName).memoryMib << 20) * nonZeroFraction);
  }

  @Override
  public String createOverlay(String volumeName, long capacityBytes, String backingPath) {
    call("createOverlay", volumeName);
    synchronized (this) {
      if (!volumes.add(volumeName)) {
        throw new MigrationException(
            FailureKind.HYPERVISOR_ERROR, "volume " + volumeName + " exists (fake)");
      }
    }
    return "/images/" + volumeName;
  }

  @Override
  public boolean volumeExists(String volumeName) {
    call("volumeExists", volumeName);
    return hasVolume(volumeName);
  }

  @Override
  public void deleteVolume(String volumeName) {
    call("deleteVolume", volumeName);
    synchronized (this) {
      volumes.remove(volumeName);
      contents.remove(volumeName);
    }
  }

  @Override
  public void setMaxDowntime(String vmName, Duration downtime) {
    call("setMaxDowntime", vmName);
    downtimes.add(vmName + "=" + downtime.toMillis());
    downtimeLimit = downtime;
  }

  /** The VM's definition: an agent VM's domain XML, as the engine renders it, of its memory. */
  @Override
  public String migratableXml(String vmName) {
    call("migratableXml", vmName);
    if (describeFailure != null) {
      throw describeFailure;
    }
    Vm v = existing(vmName);
    AgentVmSpec spec =
        new AgentVmSpec(
            vmName,
            v.memoryMib,
            1,
            "/img/vmlinuz",
            "/img/initramfs.cpio.gz",
            "console=ttyS0",
            "/img/workspace-base.qcow2",
            64,
            "52:54:00:00:00:01",
            "br0",
            AgentVmSpec.DEFAULT_MTU,
            v.fileMemory);
    return DomainXml.domain(spec, "/images/" + vmName + ".qcow2", "/log/" + vmName + "-serial.log");
  }

  @Override
  public void migrate(
      String vmName,
      HypervisorEndpoint destination,
      MigrationSettings settings,
      String destinationXml) {
    destinationXmls.put(vmName, destinationXml == null ? NO_DESTINATION_XML : destinationXml);
    migrate(vmName, destination, settings);
  }

  @Override
  public void migrate(String vmName, HypervisorEndpoint destination, MigrationSettings settings) {
    call("migrate", vmName);
    migrateSettings.put(vmName, settings);
    FakeHypervisor dst = cluster.host(destination.name());
    Vm v = existing(vmName);
    String config;
    synchronized (this) {
      config = configDisks.get(vmName);
    }
    if (config != null && !dst.hasVolume(config)) {
      // libvirt copies only writable disks: the destination's QEMU cannot open a missing one
      throw new MigrationException(
          FailureKind.HYPERVISOR_ERROR,
          "Cannot access storage file '/images/" + config + "': No such file or directory (fake)");
    }
    aborted = new CountDownLatch(1);
    switched = new CountDownLatch(1);
    v.job = true;
    dst.put(vmName, VmStatus.of(VmState.PAUSED, VmStatus.Reason.MIGRATION), v.memoryMib, v.uuid);
    if (config != null) {
      synchronized (dst) {
        dst.configDisks.put(vmName, config);
      }
    }
    dst.vm(vmName).job = true;
    dst.vm(vmName).incoming = true;
    dst.vm(vmName).fileMemory = v.fileMemory;
    try {
      switch (behaviour) {
        case COMPLETES -> complete(vmName, dst);
        case RUNS_UNTIL_ABORTED -> {
          await(aborted);
          synchronized (dst) {
            dst.vms.remove(vmName);
          }
          throw new MigrationException(
              FailureKind.HYPERVISOR_ERROR,
              "operation aborted: job 'migration out' canceled by client (fake)");
        }
        case COMPLETES_AFTER_POST_COPY_SWITCH -> {
          long until = System.nanoTime() + 30_000_000_000L;
          while (switched.getCount() > 0 && aborted.getCount() > 0 && System.nanoTime() < until) {
            Thread.sleep(5);
          }
          if (switched.getCount() > 0) {
            synchronized (dst) {
              dst.vms.remove(vmName);
            }
            throw new MigrationException(FailureKind.HYPERVISOR_ERROR, "operation aborted (fake)");
          }
          complete(vmName, dst);
        }
        case STANDS -> {
          long until = System.nanoTime() + 30_000_000_000L;
          while (switched.getCount() > 0
              && aborted.getCount() > 0
              && downtimeLimit.compareTo(switchesOverAt) < 0
              && System.nanoTime() < until) {
            Thread.sleep(5);
          }
          if (switched.getCount() > 0 && downtimeLimit.compareTo(switchesOverAt) < 0) {
            synchronized (dst) {
              dst.vms.remove(vmName);
            }
            throw new MigrationException(
                FailureKind.HYPERVISOR_ERROR,
                "operation aborted: job 'migration out' canceled by client (fake)");
          }
          complete(vmName, dst);
        }
        case POST_COPY_BREAKS -> {
          long until = System.nanoTime() + 30_000_000_000L;
          while (switched.getCount() > 0 && aborted.getCount() > 0 && System.nanoTime() < until) {
            Thread.sleep(5);
          }
          if (switched.getCount() > 0) {
            synchronized (dst) {
              dst.vms.remove(vmName);
            }
            throw new MigrationException(FailureKind.HYPERVISOR_ERROR, "operation aborted (fake)");
          }
          dst.vm(vmName).status = VmStatus.of(VmState.RUNNING, VmStatus.Reason.POSTCOPY);
          postCopyFault.run();
          breakPostCopy(vmName, dst);
          throw new MigrationException(
              FailureKind.HYPERVISOR_ERROR,
              "operation failed: job 'migration out' failed in post-copy phase (fake)");
        }
        case NEVER_RETURNS -> await(released);
        case SCRIPTED -> script.accept(vmName);
        default -> throw new IllegalStateException();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MigrationException(FailureKind.HYPERVISOR_ERROR, "interrupted (fake)");
    } finally {
      v.job = false;
      Vm incoming = dst.vm(vmName);
      if (incoming != null) {
        incoming.job = false;
      }
    }
  }

  /** Both sides of a post-copy go to "postcopy-paused", as QEMU does when its stream breaks. */
  void breakPostCopy(String vmName, FakeHypervisor dst) {
    Vm here = vm(vmName);
    if (here != null) {
      here.status = VmStatus.of(VmState.PAUSED, VmStatus.Reason.POSTCOPY_FAILED);
    }
    Vm there = dst.vm(vmName);
    if (there != null) {
      there.status = VmStatus.of(VmState.RUNNING, VmStatus.Reason.POSTCOPY_FAILED);
    }
  }

  /** The end of a successful migration: running on {@code dst}, undefined here. */
  void complete(String vmName, FakeHypervisor dst) {
    Vm there = dst.vm(vmName);
    there.status = VmStatus.of(VmState.RUNNING, VmStatus.Reason.MIGRATED);
    there.incoming = false;
    synchronized (this) {
      vms.remove(vmName);
      configDisks.remove(vmName);
    }
  }

  @Override
  public JobStats jobStats(String vmName) {
    call("jobStats", vmName);
    if (progressFailure != null) {
      throw progressFailure;
    }
    Vm v = vm(vmName);
    if (v == null || !v.job) {
      return JobStats.none();
    }
    if (jobReport != null) {
      return jobReport;
    }
    long n = ++v.samples;
    return new JobStats(
        2,
        Map.of(
            "time_elapsed",
            Long.toString(n * 100),
            "memory_processed",
            Long.toString(n << 20),
            "memory_remaining",
            Long.toString(pendingBytes),
            "memory_iteration",
            Long.toString(n),
            "disk_remaining",
            "0",
            "operation",
            v.incoming ? "4" : "5"));
  }

  @Override
  public JobStats completedJobStats(String vmName) {
    call("completedJobStats", vmName);
    return new JobStats(2, Map.of("memory_processed", Long.toString(256L << 20), "downtime", "42"));
  }

  @Override
  public void abortJob(String vmName) {
    call("abortJob", vmName);
    aborted.countDown();
  }

  @Override
  public void startPostCopy(String vmName) {
    call("startPostCopy", vmName);
    if (postCopyFailure != null) {
      throw postCopyFailure;
    }
    existing(vmName).status = VmStatus.of(VmState.PAUSED, VmStatus.Reason.POSTCOPY);
    switched.countDown();
  }

  /** Like libvirt: only a post-copy that failed on both sides is resumed, over a new connection. */
  @Override
  public void resumePostCopy(
      String vmName, HypervisorEndpoint destination, MigrationSettings settings) {
    call("resumePostCopy", vmName);
    FakeHypervisor dst = cluster.host(destination.name());
    Vm v = existing(vmName);
    if (!v.status.failedPostCopy()) {
      throw new MigrationException(
          FailureKind.HYPERVISOR_ERROR, "post-copy of " + vmName + " has not failed (fake)");
    }
    dst.requireReachable();
    Vm there = dst.vm(vmName);
    if (there == null || !there.status.failedPostCopy()) {
      throw new MigrationException(
          FailureKind.HYPERVISOR_ERROR,
          "post-copy of " + vmName + " has not failed on " + destination.name() + " (fake)");
    }
    resumes.add(destination.name());
    v.status = VmStatus.of(VmState.PAUSED, VmStatus.Reason.POSTCOPY);
    there.status = VmStatus.of(VmState.RUNNING, VmStatus.Reason.POSTCOPY);
    v.job = true;
    try {
      onResume.accept(vmName);
      complete(vmName, dst);
    } catch (RuntimeException e) {
      breakPostCopy(vmName, dst);
      throw e;
    } finally {
      v.job = false;
    }
  }

  @Override
  public void close() {
    // connections of a fake host cost nothing, unless a test holds their closing (a dead peer's
    // libvirt connection waits for its keepalive to close)
    CountDownLatch gate = closeGate;
    if (gate != null) {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** When set, {@link #close} waits until it is counted down. */
  volatile CountDownLatch closeGate;

  private Vm existing(String vmName) {
    Vm v = vm(vmName);
    if (v == null) {
      throw new MigrationException(
          FailureKind.VM_NOT_RUNNING, vmName + " is not on " + endpoint.name() + " (fake)");
    }
    return v;
  }

  private static void await(CountDownLatch l) {
    try {
      if (!l.await(30, TimeUnit.SECONDS)) {
        throw new MigrationException(
            FailureKind.HYPERVISOR_ERROR, "fake migration waited 30 s in vain");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MigrationException(FailureKind.HYPERVISOR_ERROR, "interrupted");
    }
  }
}
