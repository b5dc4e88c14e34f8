package io.spotnest.migration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.libvirt.Domain;
import org.libvirt.DomainBlockInfo;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;

/**
 * Live-migrates agent VMs between hosts, peer to peer, over libvirt.
 *
 * <p>Order of work: check the request and the destination's room; measure the guest (RAM, dirty rate, written
 * overlay blocks); plan; create the destination's overlay; migrate with progress sampled from the job statistics,
 * switching to post-copy only when the policy allows and aborting at the deadline. libvirt's peer-to-peer protocol
 * resumes the guest on the destination before it stops the source, and the engine checks afterwards that the VM
 * runs in exactly one place; after any failure it makes sure the source runs and removes what it made on the
 * destination.
 */
public final class MigrationEngine {

  private final Map<String, HypervisorEndpoint> hosts;
  private final MigrationPlanner planner;
  private final DirtyRateMeter dirtyRateMeter = new DirtyRateMeter();

  public MigrationEngine(List<HypervisorEndpoint> hosts, MigrationPlanner planner) {
    Map<String, HypervisorEndpoint> m = new java.util.LinkedHashMap<>();
    for (HypervisorEndpoint h : hosts) {
      if (m.put(h.name(), h) != null) {
        throw new IllegalArgumentException("host " + h.name() + " is listed twice");
      }
    }
    this.hosts = Map.copyOf(m);
    this.planner = planner;
  }

  /** Opens a hypervisor connection to a known host. */
  public LibvirtHypervisor connect(String host) {
    return LibvirtHypervisor.connect(known(host, "host"));
  }

  /**
   * Computes the plan for moving {@code vmName} without starting anything.
   */
  public MigrationPlan plan(MigrationRequest req) {
    HypervisorEndpoint srcEp = known(req.source(), "source");
    known(req.destination(), "destination");
    try (LibvirtHypervisor src = LibvirtHypervisor.connect(srcEp)) {
      return planner.plan(measure(src, runningDomain(src, req.vmName()), req), req.settings());
    }
  }

  /** Migrates; returns the outcome, or throws {@link MigrationException} when it refuses before starting. */
  public MigrationOutcome migrate(MigrationRequest req, MigrationListener listener) {
    HypervisorEndpoint srcEp = known(req.source(), "source");
    HypervisorEndpoint dstEp = known(req.destination(), "destination");
    try (LibvirtHypervisor src = LibvirtHypervisor.connect(srcEp);
         LibvirtHypervisor dst = LibvirtHypervisor.connect(dstEp)) {
      Domain dom = runningDomain(src, req.vmName());
      if (dst.state(req.vmName()) != VmState.ABSENT) {
        throw new MigrationException(FailureKind.INVALID_REQUEST,
            "agent VM " + req.vmName() + " already exists on destination " + dstEp.name());
      }
      requireRoom(dom, dst, req.vmName());
      MigrationInputs inputs = measure(src, dom, req);
      MigrationPlan plan = planner.plan(inputs, req.settings());
      listener.onPlan(plan);
      if (!plan.feasible() && req.refuseInfeasible()) {
        MigrationOutcome o = new MigrationOutcome(req.vmName(), Optional.of(srcEp.name()), false,
            Optional.of(FailureKind.PLAN_MISSES_DEADLINE), plan.reason(), Duration.ZERO, Duration.ZERO, 0, 0, 0,
            false, plan);
        listener.onOutcome(o);
        return o;
      }
      MigrationOutcome o = new MigrationRun(req, src, dst, dom, plan, listener).execute();
      listener.onOutcome(o);
      return o;
    }
  }

  private HypervisorEndpoint known(String name, String role) {
    HypervisorEndpoint ep = hosts.get(name);
    if (ep == null) {
      throw new MigrationException(FailureKind.INVALID_REQUEST,
          "unknown " + role + " host '" + name + "'; known hosts: " + String.join(", ", hosts.keySet()));
    }
    return ep;
  }

  private static Domain runningDomain(LibvirtHypervisor src, String vm) {
    Domain dom = src.domain(vm);
    if (dom == null || src.state(vm) != VmState.RUNNING) {
      throw new MigrationException(FailureKind.VM_NOT_RUNNING,
          "agent VM " + vm + " is not running on host " + src.endpoint().name());
    }
    return dom;
  }

  private static void requireRoom(Domain dom, LibvirtHypervisor dst, String vm) {
    long needMib;
    try {
      needMib = dom.getInfo().maxMem / 1024;
    } catch (LibvirtException e) {
      throw new MigrationException(FailureKind.HYPERVISOR_ERROR, "cannot read " + vm + ": " + e.getMessage(), e);
    }
    long offered = dst.endpoint().capacityMib() - dst.usedMemoryMib();
    long free = dst.freeMemoryBytes() >> 20;
    if (needMib > offered || needMib > free) {
      throw new MigrationException(FailureKind.NO_ROOM, String.format(
          "destination %s has no room for %s: it needs %d MiB, the host offers %d MiB more (capacity %d MiB) "
              + "and has %d MiB free", dst.endpoint().name(), vm, needMib, Math.max(0, offered),
          dst.endpoint().capacityMib(), free));
    }
  }

  private MigrationInputs measure(LibvirtHypervisor src, Domain dom, MigrationRequest req) {
    try {
      DomainInfo info = dom.getInfo();
      long disk = 0;
      if (req.settings().copyStorage()) {
        DomainBlockInfo b = dom.blockInfo("vda");
        disk = b.getAllocation();
      }
      long dirty = dirtyRateMeter.measure(dom, Duration.ofSeconds(1));
      return new MigrationInputs(info.maxMem * 1024, dirty, req.linkBytesPerSecond(), disk, req.deadline());
    } catch (LibvirtException e) {
      throw new MigrationException(FailureKind.HYPERVISOR_ERROR,
          "cannot measure " + req.vmName() + " on host " + src.endpoint().name() + ": " + e.getMessage(), e);
    }
  }
}
