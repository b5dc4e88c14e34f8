package io.spotnest.migration;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainBlockInfo;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.ErrorCallback;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.libvirt.Stream;
import org.libvirt.VcpuInfo;

/** {@link Hypervisor} over one libvirt connection (libvirt-java, plus a few calls through JNA). */
public final class LibvirtHypervisor implements Hypervisor {

  static final String POOL = "default";
  private static final String WORKSPACE_TARGET = "vda";
  private static final Pattern DISK = Pattern.compile("<disk[^>]*>.*?</disk>", Pattern.DOTALL);
  private static final Pattern VOLUME_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern FILE_SOURCE = Pattern.compile("<source file='([^']+)'");
  private static final int STREAM_CHUNK = 64 << 10;
  private static final Pattern BACKING_SOURCE =
      Pattern.compile("<backingStore type='file'[^>]*>.*?<source file='([^']+)'", Pattern.DOTALL);

  private final HypervisorEndpoint endpoint;
  private final Connect conn;
  private final LibvirtNative nativeCalls;
  private final DirtyRateMeter dirtyRateMeter;

  /**
   * Swallows libvirt's default stderr report of errors; they still arrive as exceptions. Held for
   * JNA.
   */
  private final ErrorCallback quiet = new ErrorCallback();

  private LibvirtHypervisor(HypervisorEndpoint endpoint, Connect conn) {
    this.endpoint = endpoint;
    this.conn = conn;
    this.nativeCalls = new LibvirtNative(endpoint.clientUri(), endpoint.name());
    this.dirtyRateMeter = new DirtyRateMeter(nativeCalls);
    try {
      conn.setConnectionErrorCallback(quiet);
    } catch (LibvirtException e) {
      // keep libvirt's default reporting
    }
  }

  /**
   * Connects to the host's libvirt with client keepalive ({@link LibvirtEventLoop}), failing with
   * the host and URI named.
   */
  public static LibvirtHypervisor connect(HypervisorEndpoint endpoint) {
    LibvirtEventLoop.require();
    try {
      Connect conn = new Connect(endpoint.clientUri());
      LibvirtEventLoop.keepAlive(conn);
      return new LibvirtHypervisor(endpoint, conn);
    } catch (LibvirtException e) {
      throw new MigrationException(
          FailureKind.HOST_FAILED,
          "cannot connect to host "
              + endpoint.name()
              + " at "
              + endpoint.clientUri()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public HypervisorEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public void start(AgentVmSpec vm) {
    startWith(vm, null);
  }

  @Override
  public void start(AgentVmSpec vm, ConfigDisk config) {
    startWith(vm, java.util.Objects.requireNonNull(config, "config"));
  }

  private void startWith(AgentVmSpec vm, ConfigDisk config) {
    if (state(vm.name()) != VmState.ABSENT) {
      throw new MigrationException(
          FailureKind.INVALID_REQUEST,
          "agent VM " + vm.name() + " already exists on host " + endpoint.name());
    }
    String configVolume = ConfigDisk.volumeName(vm.name());
    boolean started = false;
    try {
      String configPath = null;
      if (config != null) {
        deleteVolume(configVolume); // a stale one: no VM of that name is here to use it
        configPath = createRawVolume(configVolume, config.image());
      }
      String overlay =
          vm.hasWorkspace()
              ? createOverlay(vm.overlayName(), vm.workspaceMib() << 20, vm.baseImage())
              : null;
      Domain d =
          conn.domainDefineXML(
              DomainXml.domain(
                  vm, overlay, configPath, "/var/log/libvirt/qemu/" + vm.name() + "-serial.log"));
      d.create();
      started = true;
    } catch (LibvirtException e) {
      throw new MigrationException(
          FailureKind.HYPERVISOR_ERROR,
          "cannot start agent VM "
              + vm.name()
              + " on host "
              + endpoint.name()
              + ": "
              + e.getMessage(),
          e);
    } finally {
      if (config != null && !started && domain(vm.name()) == null) {
        deleteVolume(configVolume);
      }
    }
  }

  @Override
  public String createRawVolume(String volumeName, byte[] content) {
    requireVolumeName(volumeName);
    StorageVol vol;
    try {
      vol = pool().storageVolCreateXML(DomainXml.rawVolume(volumeName, content.length), 0);
    } catch (LibvirtException e) {
      throw error("cannot create volume " + volumeName, e);
    }
    ByteBuffer chunk = ByteBuffer.allocateDirect(STREAM_CHUNK);
    try {
      Stream stream = conn.streamNew(0);
      try {
        vol.upload(stream, 0, content.length, 0);
        for (int at = 0; at < content.length; at += STREAM_CHUNK) {
          chunk.clear();
          chunk.put(content, at, Math.min(STREAM_CHUNK, content.length - at)).flip();
          stream.write(chunk);
        }
        stream.finish();
      } finally {
        stream.close();
      }
      return vol.getPath();
    } catch (LibvirtException | IOException e) {
      deleteVolume(volumeName);
      throw new MigrationException(
          FailureKind.HYPERVISOR_ERROR,
          "cannot write volume "
              + volumeName
              + " on host "
              + endpoint.name()
              + ": "
              + e.getMessage(),
          e);
    } finally {
      chunk.clear();
      chunk.put(new byte[STREAM_CHUNK]); // the content may be secret
    }
  }

  @Override
  public byte[] readVolume(String volumeName) {
    requireVolumeName(volumeName);
    ByteBuffer chunk = ByteBuffer.allocateDirect(STREAM_CHUNK);
    byte[] piece = new byte[STREAM_CHUNK];
    try {
      StorageVol vol = pool().storageVolLookupByName(volumeName);
      long size = vol.getInfo().capacity;
      if (size > ConfigDisk.SIZE_BYTES * 64L) {
        throw new MigrationException(
            FailureKind.INVALID_REQUEST,
            "volume " + volumeName + " on host " + endpoint.name() + " is too large to read");
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
      Stream stream = conn.streamNew(0);
      try {
        vol.download(stream, 0, size, 0);
        while (true) {
          chunk.clear();
          int n = stream.read(chunk);
          if (n < 0) {
            break;
          }
          chunk.flip().get(piece, 0, n);
          out.write(piece, 0, n);
        }
      } finally {
        stream.close();
      }
      return out.toByteArray();
    } catch (LibvirtException | IOException e) {
      throw new MigrationException(
          FailureKind.HYPERVISOR_ERROR,
          "cannot read volume "
              + volumeName
              + " on host "
              + endpoint.name()
              + ": "
              + e.getMessage(),
          e);
    } finally {
      Arrays.fill(piece, (byte) 0);
      chunk.clear();
      chunk.put(new byte[STREAM_CHUNK]);
    }
  }

  @Override
  public Optional<String> configVolume(String vmName) {
    try {
      Matcher disk = DISK.matcher(existing(vmName).getXMLDesc(0));
      while (disk.find()) {
        String xml = disk.group();
        if (!xml.contains("dev='" + ConfigDisk.TARGET + "'")) {
          continue;
        }
        Matcher source = FILE_SOURCE.matcher(xml);
        if (!xml.contains("<readonly/>") || !source.find()) {
          throw new MigrationException(
              FailureKind.INVALID_REQUEST,
              vmName + "'s " + ConfigDisk.TARGET + " is not a read-only file disk");
        }
        pool();
        try {
          return Optional.of(conn.storageVolLookupByPath(source.group(1)).getName());
        } catch (LibvirtException e) {
          if (is(e, ErrorNumber.VIR_ERR_NO_STORAGE_VOL)) {
            throw new MigrationException(
                FailureKind.INVALID_REQUEST,
                vmName
                    + "'s config disk "
                    + source.group(1)
                    + " is not a volume of a pool on host "
                    + endpoint.name()
                    + ": cannot copy it",
                e);
          }
          throw e;
        }
      }
      return Optional.empty();
    } catch (LibvirtException e) {
      throw error("cannot read the disks of " + vmName, e);
    }
  }

  private static void requireVolumeName(String volumeName) {
    if (volumeName == null || !VOLUME_NAME.matcher(volumeName).matches()) {
      throw new IllegalArgumentException(
          "volume name must be 1-128 letters, digits, '.', '_' or '-', was " + volumeName);
    }
  }

  @Override
  public String createOverlay(String volumeName, long capacityBytes, String backingPath) {
    try {
      StorageVol vol =
          pool()
              .storageVolCreateXML(
                  DomainXml.overlayVolume(volumeName, capacityBytes, backingPath), 0);
      return vol.getPath();
    } catch (LibvirtException e) {
      throw error("cannot create overlay " + volumeName, e);
    }
  }

  /**
   * The host's default pool, refreshed so that volumes made outside libvirt (or by a peer) are
   * seen. libvirt refuses a refresh while the pool builds a volume ("has asynchronous jobs
   * running": two moves to one host preparing their overlays at once), so a refused refresh is
   * retried for up to 5 s and then skipped.
   */
  private StoragePool pool() throws LibvirtException {
    StoragePool pool = conn.storagePoolLookupByName(POOL);
    for (int attempt = 0; ; attempt++) {
      try {
        pool.refresh(0);
        return pool;
      } catch (LibvirtException e) {
        String m = String.valueOf(e.getMessage());
        if (!m.contains("asynchronous jobs")) {
          throw e;
        }
        if (attempt >= 50) {
          return pool;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return pool;
        }
      }
    }
  }

  @Override
  public void deleteVolume(String volumeName) {
    try {
      pool().storageVolLookupByName(volumeName).delete(0);
    } catch (LibvirtException e) {
      if (!is(e, ErrorNumber.VIR_ERR_NO_STORAGE_VOL)) {
        throw error("cannot delete volume " + volumeName, e);
      }
    }
  }

  @Override
  public boolean volumeExists(String volumeName) {
    try {
      pool().storageVolLookupByName(volumeName);
      return true;
    } catch (LibvirtException e) {
      if (is(e, ErrorNumber.VIR_ERR_NO_STORAGE_VOL)) {
        return false;
      }
      throw error("cannot look up volume " + volumeName, e);
    }
  }

  /**
   * The domain, or null when the host has none of that name (lab tests use it to reach libvirt
   * directly).
   */
  Domain domain(String vmName) {
    try {
      return conn.domainLookupByName(vmName);
    } catch (LibvirtException e) {
      if (is(e, ErrorNumber.VIR_ERR_NO_DOMAIN)) {
        return null;
      }
      throw hostFailed("cannot look up " + vmName, e);
    }
  }

  private Domain existing(String vmName) {
    Domain d = domain(vmName);
    if (d == null) {
      throw new MigrationException(
          FailureKind.VM_NOT_RUNNING, "agent VM " + vmName + " is not on host " + endpoint.name());
    }
    return d;
  }

  @Override
  public Optional<UUID> uuid(String vmName) {
    Domain d = domain(vmName);
    if (d == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(d.getUUIDString()));
    } catch (LibvirtException e) {
      if (is(e, ErrorNumber.VIR_ERR_NO_DOMAIN)) {
        return Optional.empty();
      }
      throw error("cannot read the UUID of " + vmName, e);
    }
  }

  @Override
  public VmStatus status(String vmName) {
    Domain d = domain(vmName);
    if (d == null) {
      return VmStatus.ABSENT;
    }
    LibvirtNative.StateCodes codes;
    try {
      codes = nativeCalls.state(vmName);
    } catch (RuntimeException e) {
      codes = null; // no native library or connection: fall back to the state without its reason
    }
    if (codes != null) {
      return LibvirtNative.status(codes);
    }
    try {
      return VmStatus.of(
          switch (d.getInfo().state) {
            case VIR_DOMAIN_RUNNING -> VmState.RUNNING;
            case VIR_DOMAIN_PAUSED -> VmState.PAUSED;
            case VIR_DOMAIN_SHUTOFF -> VmState.SHUT_OFF;
            default -> VmState.OTHER;
          });
    } catch (LibvirtException e) {
      // the domain vanished between lookup and info (e.g. migrated away)
      return domain(vmName) == null ? VmStatus.ABSENT : VmStatus.of(VmState.OTHER);
    }
  }

  @Override
  public Map<String, Long> activeVmMemoryMib() {
    try {
      Map<String, Long> m = new HashMap<>();
      for (int id : conn.listDomains()) {
        try {
          Domain d = conn.domainLookupByID(id);
          m.put(d.getName(), d.getInfo().maxMem / 1024);
        } catch (LibvirtException e) {
          if (!is(e, ErrorNumber.VIR_ERR_NO_DOMAIN)) {
            throw e;
          }
          // it stopped between the listing and the lookup: it uses no memory now
        }
      }
      return m;
    } catch (LibvirtException e) {
      throw hostFailed("cannot list VMs", e);
    }
  }

  @Override
  public long freeMemoryBytes() {
    try {
      return conn.getFreeMemory();
    } catch (LibvirtException e) {
      throw new MigrationException(
          FailureKind.HOST_FAILED,
          "cannot read free memory of host " + endpoint.name() + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public long freeDiskBytes() {
    try {
      return pool().getInfo().available;
    } catch (LibvirtException e) {
      throw hostFailed("cannot read the free space of pool " + POOL, e);
    }
  }

  @Override
  public void remove(String vmName) {
    Domain d = domain(vmName);
    try {
      if (d != null) {
        if (d.isActive() == 1) {
          d.destroy();
        }
        if (domain(vmName) != null) {
          d.undefine();
        }
      }
    } catch (LibvirtException e) {
      throw error("cannot remove " + vmName, e);
    }
    deleteVolume(vmName + ".qcow2");
    deleteVolume(ConfigDisk.volumeName(vmName));
  }

  @Override
  public void resume(String vmName) {
    try {
      existing(vmName).resume();
    } catch (LibvirtException e) {
      throw error("cannot resume " + vmName, e);
    }
  }

  @Override
  public long memoryBytes(String vmName) {
    try {
      return existing(vmName).getInfo().maxMem * 1024;
    } catch (LibvirtException e) {
      throw error("cannot read " + vmName, e);
    }
  }

  @Override
  public Optional<WorkspaceDisk> workspaceDisk(String vmName) {
    try {
      Domain d = existing(vmName);
      Matcher disk = DISK.matcher(d.getXMLDesc(0));
      while (disk.find()) {
        if (disk.group().contains("dev='" + WORKSPACE_TARGET + "'")) {
          Matcher b = BACKING_SOURCE.matcher(disk.group());
          if (!b.find()) {
            return Optional.empty();
          }
          DomainBlockInfo info = d.blockInfo(WORKSPACE_TARGET);
          return Optional.of(
              new WorkspaceDisk(
                  WORKSPACE_TARGET, b.group(1), info.getCapacity(), info.getAllocation()));
        }
      }
      return Optional.empty();
    } catch (LibvirtException e) {
      throw error("cannot read the disks of " + vmName, e);
    }
  }

  @Override
  public long dirtyBytesPerSecond(String vmName, Duration window) {
    return dirtyRate(vmName, window).bytesPerSecond();
  }

  @Override
  public DirtyRate dirtyRate(String vmName, Duration window) {
    return dirtyRate(vmName, window, 0, window);
  }

  @Override
  public DirtyRate dirtyRate(
      String vmName, Duration window, long linkBytesPerSecond, Duration longest) {
    existing(vmName);
    return dirtyRateMeter.measure(vmName, window, memoryBytes(vmName), linkBytesPerSecond, longest);
  }

  /**
   * The zero-page sample runs while the dirty rate's longer calculation does (in QEMU, started on
   * the meter's own connection; the sample reads pages on this one), so it costs the move no wall
   * time of its own.
   */
  @Override
  public GuestMeasurement measureGuest(
      String vmName, Duration window, long linkBytesPerSecond, Duration longest) {
    existing(vmName);
    long ram = memoryBytes(vmName);
    long[] nonZero = {-1};
    Optional<VcpuTime> before = vcpuTime(vmName);
    DirtyRate rate =
        dirtyRateMeter.measure(
            vmName,
            window,
            ram,
            linkBytesPerSecond,
            longest,
            () -> nonZero[0] = nonZeroMemoryBytes(vmName));
    return new GuestMeasurement(
        nonZero[0] < 0 ? ram : nonZero[0], rate, VcpuTime.busyShare(before, vcpuTime(vmName)));
  }

  /**
   * The vCPU threads' own CPU time (libvirt's per-vCPU {@code cpuTime}), not the domain's, which
   * adds the emulator's threads: those make the dirty-rate calculation and the zero-page sample
   * while the share is measured.
   */
  @Override
  public Optional<VcpuTime> vcpuTime(String vmName) {
    try {
      VcpuInfo[] vcpus = existing(vmName).getVcpusInfo();
      long at = System.nanoTime();
      return Optional.of(
          new VcpuTime(Arrays.stream(vcpus).mapToLong(v -> v.cpuTime).sum(), vcpus.length, at));
    } catch (LibvirtException e) {
      return Optional.empty();
    }
  }

  /** The meter behind {@link #dirtyRate} (the lab records its raw readings). */
  DirtyRateMeter dirtyRateMeter() {
    return dirtyRateMeter;
  }

  @Override
  public long nonZeroMemoryBytes(String vmName) {
    Domain d = existing(vmName);
    long ram = memoryBytes(vmName);
    return new ZeroPageSampler(ZeroPageSampler.DEFAULT_SAMPLES, System.nanoTime())
        .nonZeroBytes(
            ram,
            (address, page) -> {
              try {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(page);
                d.memoryPeek(address, b, org.libvirt.MemoryAddressMode.PHYSICAL);
                return true;
              } catch (LibvirtException e) {
                return false;
              }
            });
  }

  @Override
  public String migratableXml(String vmName) {
    try {
      return existing(vmName).getXMLDesc(Domain.XMLFlags.MIGRATABLE);
    } catch (LibvirtException e) {
      throw error("cannot read the migratable XML of " + vmName, e);
    }
  }

  @Override
  public void setMaxDowntime(String vmName, Duration downtime) {
    try {
      existing(vmName).migrateSetMaxDowntime(downtime.toMillis());
    } catch (LibvirtException e) {
      throw error("cannot set the downtime limit of " + vmName, e);
    }
  }

  /**
   * The blocking call gets a connection of its own: libvirt 9.0's client can lose the wake-up when
   * a second thread calls on a connection whose socket another thread is polling, and an abortJob
   * issued right after a getJobStats on the migrating connection then waits forever (seen in CI).
   */
  @Override
  public void migrate(String vmName, HypervisorEndpoint destination, MigrationSettings settings) {
    migrate(vmName, destination, settings, null);
  }

  @Override
  public void migrate(
      String vmName,
      HypervisorEndpoint destination,
      MigrationSettings settings,
      String destinationXml) {
    migrateToPeer(vmName, destination, settings, destinationXml, false);
  }

  /**
   * Like {@link #migrate}, on a connection of its own: libvirt resumes the post-copy peer to peer
   * (the destination's QEMU listens anew, the source's reconnects and sends the rest).
   */
  @Override
  public void resumePostCopy(
      String vmName, HypervisorEndpoint destination, MigrationSettings settings) {
    migrateToPeer(vmName, destination, settings, null, true);
  }

  /**
   * One peer-to-peer {@code migrateToURI} of {@code vmName} on a connection of its own (see {@link
   * #migrate}): a migration, with the workspace disk's blocks when {@code settings} copy storage,
   * or ({@code resume}) the resumption of a paused post-copy, without them.
   */
  private void migrateToPeer(
      String vmName,
      HypervisorEndpoint destination,
      MigrationSettings settings,
      String destinationXml,
      boolean resume) {
    try (LibvirtHypervisor own = connect(endpoint)) {
      Domain migrating = own.existing(vmName);
      String target =
          !resume && settings.copyStorage()
              ? own.workspaceDisk(vmName).map(WorkspaceDisk::target).orElse(null)
              : null;
      migrating.migrateToURI(
          destination.peerUri(),
          LibvirtMigrateOptions.parameters(settings, target, vmName, destinationXml),
          resume
              ? LibvirtMigrateOptions.resumeFlags(settings)
              : LibvirtMigrateOptions.flags(settings));
    } catch (LibvirtException e) {
      throw new MigrationException(FailureKind.HYPERVISOR_ERROR, e.getMessage(), e);
    }
  }

  @Override
  public void setMaxSpeed(String vmName, long mibPerSecond) {
    nativeCalls.setMaxSpeed(vmName, mibPerSecond);
  }

  @Override
  public JobStats jobStats(String vmName) {
    return stats(vmName, 0);
  }

  @Override
  public JobStats completedJobStats(String vmName) {
    return stats(vmName, JobStats.COMPLETED);
  }

  private JobStats stats(String vmName, int flags) {
    Domain d = domain(vmName);
    if (d == null) {
      return JobStats.none();
    }
    try {
      if (flags == 0 && d.isActive() != 1) {
        return JobStats.none(); // an inactive domain has no job (and libvirt refuses to say so)
      }
      return JobStats.of(d.getJobStats(flags));
    } catch (LibvirtException e) {
      if (is(e, ErrorNumber.VIR_ERR_NO_DOMAIN) || is(e, ErrorNumber.VIR_ERR_OPERATION_INVALID)) {
        return JobStats.none(); // it just left, or is not running: no job
      }
      if (flags == 0 && is(e, ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED)) {
        // "migration statistics are available only on the source host": this is an incoming
        // migration's copy
        return JobStats.incomingMigration();
      }
      throw hostFailed("cannot read the job of " + vmName, e);
    }
  }

  @Override
  public void abortJob(String vmName) {
    Domain d = domain(vmName);
    if (d == null) {
      return;
    }
    try {
      d.abortJob();
    } catch (LibvirtException e) {
      // no job (it already finished or failed); the migration call reports which
    }
  }

  @Override
  public void startPostCopy(String vmName) {
    nativeCalls.startPostCopy(vmName);
  }

  private MigrationException error(String what, LibvirtException e) {
    return failure(FailureKind.HYPERVISOR_ERROR, what, e);
  }

  /** The host cannot answer: {@code what} failed there. */
  private MigrationException hostFailed(String what, LibvirtException e) {
    return failure(FailureKind.HOST_FAILED, what, e);
  }

  private MigrationException failure(FailureKind kind, String what, LibvirtException e) {
    return new MigrationException(
        kind, what + " on host " + endpoint.name() + ": " + e.getMessage(), e);
  }

  private static boolean is(LibvirtException e, ErrorNumber n) {
    return e.getError() != null && e.getError().getCode() == n;
  }

  @Override
  public void close() {
    nativeCalls.close();
    try {
      conn.close();
    } catch (LibvirtException e) {
      // closing a broken connection: nothing left to release
    }
  }
}
