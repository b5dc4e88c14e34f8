package io.spotnest.migration;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Switches a running migration to post-copy. libvirt-java 0.5.4 has no binding for
 * {@code virDomainMigrateStartPostCopy}, so this calls libvirt directly through JNA on a connection of its own.
 */
final class PostCopySwitch {

  /** The few libvirt C functions libvirt-java 0.5.4 lacks. */
  interface Libvirt extends Library {
    Pointer virConnectOpen(String uri);

    int virConnectClose(Pointer conn);

    Pointer virDomainLookupByName(Pointer conn, String name);

    int virDomainMigrateStartPostCopy(Pointer domain, int flags);

    int virDomainFree(Pointer domain);
  }

  private final Libvirt lib;

  PostCopySwitch() {
    this.lib = Native.load("virt", Libvirt.class);
  }

  /** Asks the source's libvirt to switch the migration of {@code vmName} to post-copy. */
  void start(String sourceUri, String vmName) {
    Pointer conn = lib.virConnectOpen(sourceUri);
    if (conn == null) {
      throw new MigrationException(FailureKind.HOST_FAILED, "cannot open " + sourceUri + " to start post-copy");
    }
    try {
      Pointer dom = lib.virDomainLookupByName(conn, vmName);
      if (dom == null) {
        throw new MigrationException(FailureKind.VM_NOT_RUNNING, vmName + " vanished before post-copy could start");
      }
      try {
        if (lib.virDomainMigrateStartPostCopy(dom, 0) != 0) {
          throw new MigrationException(FailureKind.HYPERVISOR_ERROR, "libvirt refused to start post-copy for " + vmName);
        }
      } finally {
        lib.virDomainFree(dom);
      }
    } finally {
      lib.virConnectClose(conn);
    }
  }
}
