package io.spotnest.migration;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The few libvirt C calls libvirt-java 0.5.4 lacks ({@code virDomainGetState} with its reason,
 * {@code virDomainMigrateStartPostCopy}, {@code virDomainMigrateSetMaxSpeed}), through JNA on a
 * connection of its own with keepalive, opened on first use.
 */
final class LibvirtNative implements AutoCloseable {

  /** libvirt's C functions used here. */
  interface Libvirt extends Library {
    Pointer virConnectOpen(String uri);

    int virConnectClose(Pointer conn);

    Pointer virDomainLookupByName(Pointer conn, String name);

    int virDomainGetState(Pointer domain, IntByReference state, IntByReference reason, int flags);

    int virDomainMigrateStartPostCopy(Pointer domain, int flags);

    int virDomainMigrateSetMaxSpeed(Pointer domain, NativeLong bandwidthMiBps, int flags);

    int virDomainFree(Pointer domain);

    int virConnectSetKeepAlive(Pointer conn, int interval, int count);
  }

  /** A domain's state and reason codes as libvirt reports them. */
  record StateCodes(int state, int reason) {}

  private static final int RUNNING = 1;
  private static final int PAUSED = 3;
  private static final int SHUTOFF = 5;

  private final String uri;
  private final String hostName;
  private Libvirt lib;
  private Pointer conn;

  LibvirtNative(String uri, String hostName) {
    this.uri = uri;
    this.hostName = hostName;
  }

  /** State and reason of the domain, or null when the host has none of that name. */
  synchronized StateCodes state(String vmName) {
    Pointer dom = lib().virDomainLookupByName(connection(), vmName);
    if (dom == null) {
      return null;
    }
    try {
      IntByReference state = new IntByReference();
      IntByReference reason = new IntByReference();
      if (lib.virDomainGetState(dom, state, reason, 0) != 0) {
        return null;
      }
      return new StateCodes(state.getValue(), reason.getValue());
    } finally {
      lib.virDomainFree(dom);
    }
  }

  synchronized void startPostCopy(String vmName) {
    Pointer dom = lib().virDomainLookupByName(connection(), vmName);
    if (dom == null) {
      throw new MigrationException(
          FailureKind.VM_NOT_RUNNING, vmName + " vanished before post-copy could start");
    }
    try {
      if (lib.virDomainMigrateStartPostCopy(dom, 0) != 0) {
        throw new MigrationException(
            FailureKind.HYPERVISOR_ERROR, "libvirt refused to start post-copy for " + vmName);
      }
    } finally {
      lib.virDomainFree(dom);
    }
  }

  /** Re-sets the bandwidth of the domain's running migration, in MiB/s (pre-copy). */
  synchronized void setMaxSpeed(String vmName, long mibPerSecond) {
    Pointer dom = lib().virDomainLookupByName(connection(), vmName);
    if (dom == null) {
      throw new MigrationException(
          FailureKind.VM_NOT_RUNNING, vmName + " vanished before its bandwidth was set");
    }
    try {
      if (lib.virDomainMigrateSetMaxSpeed(dom, new NativeLong(mibPerSecond), 0) != 0) {
        throw new MigrationException(
            FailureKind.HYPERVISOR_ERROR,
            "libvirt refused to set the migration bandwidth of "
                + vmName
                + " to "
                + mibPerSecond
                + " MiB/s");
      }
    } finally {
      lib.virDomainFree(dom);
    }
  }

  /** Maps libvirt's state and reason codes (libvirt-domain.h) to the engine's status. */
  static VmStatus status(StateCodes c) {
    if (c == null) {
      return VmStatus.ABSENT;
    }
    return switch (c.state()) {
      case RUNNING ->
          VmStatus.of(
              VmState.RUNNING,
              switch (c.reason()) {
                case 2 -> VmStatus.Reason.MIGRATED;
                case 10 -> VmStatus.Reason.POSTCOPY;
                case 11 -> VmStatus.Reason.POSTCOPY_FAILED;
                default -> VmStatus.Reason.OTHER;
              });
      case PAUSED ->
          VmStatus.of(
              VmState.PAUSED,
              switch (c.reason()) {
                case 1 -> VmStatus.Reason.USER;
                case 2 -> VmStatus.Reason.MIGRATION;
                case 12 -> VmStatus.Reason.POSTCOPY;
                case 13 -> VmStatus.Reason.POSTCOPY_FAILED;
                default -> VmStatus.Reason.OTHER;
              });
      case SHUTOFF ->
          VmStatus.of(
              VmState.SHUT_OFF, c.reason() == 4 ? VmStatus.Reason.MIGRATED : VmStatus.Reason.OTHER);
      default -> VmStatus.of(VmState.OTHER, VmStatus.Reason.OTHER);
    };
  }

  private Libvirt lib() {
    if (lib == null) {
      lib = Native.load("virt", Libvirt.class);
    }
    return lib;
  }

  private Pointer connection() {
    if (conn == null) {
      LibvirtEventLoop.require();
      conn = lib().virConnectOpen(uri);
      if (conn == null) {
        throw new MigrationException(
            FailureKind.HOST_FAILED, "cannot open " + uri + " of host " + hostName);
      }
      // a dead peer closes the connection instead of blocking its calls (not fatal when refused)
      lib.virConnectSetKeepAlive(
          conn, LibvirtEventLoop.KEEPALIVE_INTERVAL_S, LibvirtEventLoop.KEEPALIVE_COUNT);
    }
    return conn;
  }

  @Override
  public synchronized void close() {
    if (conn != null) {
      lib.virConnectClose(conn);
      conn = null;
    }
  }
}
