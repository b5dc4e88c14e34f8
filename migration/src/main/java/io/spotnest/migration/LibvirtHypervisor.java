package io.spotnest.migration;

import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.ErrorCallback;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;

/** {@link Hypervisor} over one libvirt connection (libvirt-java). */
public final class LibvirtHypervisor implements Hypervisor {

  static final String POOL = "default";

  private final HypervisorEndpoint endpoint;
  private final Connect conn;
  /** Swallows libvirt's default stderr report of errors; they still arrive as exceptions. Held for JNA. */
  private final ErrorCallback quiet = new ErrorCallback();

  private LibvirtHypervisor(HypervisorEndpoint endpoint, Connect conn) {
    this.endpoint = endpoint;
    this.conn = conn;
    try {
      conn.setConnectionErrorCallback(quiet);
    } catch (LibvirtException e) {
      // keep libvirt's default reporting
    }
  }

  /** Connects to the host's libvirt, failing with the host and URI named. */
  public static LibvirtHypervisor connect(HypervisorEndpoint endpoint) {
    try {
      return new LibvirtHypervisor(endpoint, new Connect(endpoint.clientUri()));
    } catch (LibvirtException e) {
      throw new MigrationException(FailureKind.HOST_FAILED,
          "cannot connect to host " + endpoint.name() + " at " + endpoint.clientUri() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public HypervisorEndpoint endpoint() {
    return endpoint;
  }

  Connect connection() {
    return conn;
  }

  @Override
  public void start(AgentVmSpec vm) {
    if (state(vm.name()) != VmState.ABSENT) {
      throw new MigrationException(FailureKind.INVALID_REQUEST,
          "agent VM " + vm.name() + " already exists on host " + endpoint.name());
    }
    try {
      String overlay = vm.hasWorkspace() ? createOverlay(vm.overlayName(), vm.workspaceMib() << 20, vm.baseImage())
          : null;
      Domain d = conn.domainDefineXML(DomainXml.domain(vm, overlay, "/var/log/libvirt/qemu/" + vm.name() + "-serial.log"));
      d.create();
    } catch (LibvirtException e) {
      throw new MigrationException(FailureKind.HYPERVISOR_ERROR,
          "cannot start agent VM " + vm.name() + " on host " + endpoint.name() + ": " + e.getMessage(), e);
    }
  }

  /** Creates a qcow2 overlay volume over {@code backingPath} in the host's default pool and returns its path. */
  String createOverlay(String volumeName, long capacityBytes, String backingPath) throws LibvirtException {
    StorageVol vol = pool().storageVolCreateXML(DomainXml.overlayVolume(volumeName, capacityBytes, backingPath), 0);
    return vol.getPath();
  }

  /** The host's default pool, refreshed so that volumes made outside libvirt (or by a peer) are seen. */
  private StoragePool pool() throws LibvirtException {
    StoragePool pool = conn.storagePoolLookupByName(POOL);
    pool.refresh(0);
    return pool;
  }

  /** Deletes a volume of the default pool if it exists. */
  void deleteVolume(String volumeName) {
    try {
      pool().storageVolLookupByName(volumeName).delete(0);
    } catch (LibvirtException e) {
      if (e.getError() == null || e.getError().getCode() != ErrorNumber.VIR_ERR_NO_STORAGE_VOL) {
        throw new MigrationException(FailureKind.HYPERVISOR_ERROR,
            "cannot delete volume " + volumeName + " on host " + endpoint.name() + ": " + e.getMessage(), e);
      }
    }
  }

  boolean volumeExists(String volumeName) {
    try {
      pool().storageVolLookupByName(volumeName);
      return true;
    } catch (LibvirtException e) {
      return false;
    }
  }

  /** The domain, or null when the host has none of that name. */
  Domain domain(String vmName) {
    try {
      return conn.domainLookupByName(vmName);
    } catch (LibvirtException e) {
      if (e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN) {
        return null;
      }
      throw new MigrationException(FailureKind.HOST_FAILED,
          "cannot look up " + vmName + " on host " + endpoint.name() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public VmState state(String vmName) {
    Domain d = domain(vmName);
    if (d == null) {
      return VmState.ABSENT;
    }
    try {
      return switch (d.getInfo().state) {
        case VIR_DOMAIN_RUNNING -> VmState.RUNNING;
        case VIR_DOMAIN_PAUSED -> VmState.PAUSED;
        case VIR_DOMAIN_SHUTOFF -> VmState.SHUT_OFF;
        default -> VmState.OTHER;
      };
    } catch (LibvirtException e) {
      // the domain vanished between lookup and info (e.g. migrated away)
      return domain(vmName) == null ? VmState.ABSENT : VmState.OTHER;
    }
  }

  @Override
  public long usedMemoryMib() {
    try {
      long kib = 0;
      for (int id : conn.listDomains()) {
        DomainInfo info = conn.domainLookupByID(id).getInfo();
        kib += info.maxMem;
      }
      return kib / 1024;
    } catch (LibvirtException e) {
      throw new MigrationException(FailureKind.HOST_FAILED,
          "cannot list VMs on host " + endpoint.name() + ": " + e.getMessage(), e);
    }
  }

  /** Free memory the host's kernel reports, in bytes. */
  long freeMemoryBytes() {
    try {
      return conn.getFreeMemory();
    } catch (LibvirtException e) {
      throw new MigrationException(FailureKind.HOST_FAILED,
          "cannot read free memory of host " + endpoint.name() + ": " + e.getMessage(), e);
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
      throw new MigrationException(FailureKind.HYPERVISOR_ERROR,
          "cannot remove " + vmName + " from host " + endpoint.name() + ": " + e.getMessage(), e);
    }
    deleteVolume(vmName + ".qcow2");
  }

  @Override
  public void close() {
    try {
      conn.close();
    } catch (LibvirtException e) {
      // closing a broken connection: nothing left to release
    }
  }
}
