package io.spotnest.migration;

import io.spotnest.migration.RecoveryPlan.Keep;
import io.spotnest.migration.RecoveryPlan.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Puts an agent VM back in one piece after the controller lost track of it (a restart during a
 * migration): looks at every host and applies {@link RecoveryDecision}, the rule the engine itself
 * uses after a migration. Which copy was the source is not known here, so the decision is asked
 * both ways round and applied only when both answers agree; otherwise nothing is touched and the
 * result says why. Once the VM is settled on one host, an overlay of its name left on another
 * reachable host that holds no domain of that name (a destination daemon that died during a copy
 * drops the incoming domain when it comes back, not its overlay) is deleted. Call it only while no
 * move of the VM is in flight: an incoming migration's overlay exists before its domain does.
 */
public final class MigrationRecovery {

  /** What reconciliation found and did. */
  public record Result(
      String vmName, Optional<String> runningOn, boolean migrationInFlight, List<String> actions) {}

  private final List<HypervisorEndpoint> hosts;
  private final HypervisorFactory factory;

  public MigrationRecovery(List<HypervisorEndpoint> hosts) {
    this(hosts, HypervisorFactory.LIBVIRT);
  }

  public MigrationRecovery(List<HypervisorEndpoint> hosts, HypervisorFactory factory) {
    this.hosts = List.copyOf(hosts);
    this.factory = factory;
  }

  /**
   * The same host's view under a role-free name; the empty name stands for "no real host" (absent
   * or unknown).
   */
  private record Side(String host, HostView view) {}

  /** The decision, with its steps named by host. */
  private record Applied(
      Keep keep, String keepHost, Set<String> resume, Set<String> remove, String reason) {
    boolean sameAs(Applied o) {
      return kept().equals(o.kept())
          && Objects.equals(keepHost, o.keepHost)
          && resume.equals(o.resume)
          && remove.equals(o.remove);
    }

    /** SOURCE and DESTINATION name the same thing here: a host, given by keepHost. */
    private String kept() {
      return keep == Keep.SOURCE || keep == Keep.DESTINATION ? "a host" : keep.name();
    }
  }

  /** Reconciles the VM of that name, whatever its UUID. */
  public Result reconcile(String vmName) {
    return reconcile(vmName, Optional.empty());
  }

  /**
   * Whether a job may run on the VM's copy: a host that answered the VM's state but not its job
   * statistics (libvirt holds the domain's job while it finishes a migration step) is reachable,
   * and its job counts as in flight, not as a dead host.
   */
  private static boolean jobMayRun(Hypervisor hv, String vmName) {
    try {
      return hv.jobStats(vmName).active();
    } catch (MigrationException e) {
      return true;
    }
  }

  /**
   * Reconciles the VM of that name and, when given, that UUID: a same-named domain with another
   * UUID is a different VM, which counts as absent and is never touched.
   */
  public Result reconcile(String vmName, Optional<UUID> uuid) {
    Map<String, HostView> views = new LinkedHashMap<>();
    Set<String> foreign = new TreeSet<>();
    List<String> actions = new ArrayList<>();
    for (HypervisorEndpoint h : hosts) {
      try (Hypervisor hv = factory.connect(h)) {
        VmStatus status = hv.status(vmName);
        if (status.present() && uuid.isPresent() && !uuid.equals(hv.uuid(vmName))) {
          actions.add(
              "host " + h.name() + " holds a different VM named " + vmName + ": left alone");
          foreign.add(h.name());
          status = VmStatus.ABSENT;
        }
        views.put(h.name(), new HostView(true, status, status.present() && jobMayRun(hv, vmName)));
      } catch (MigrationException e) {
        views.put(h.name(), HostView.unreachable());
        actions.add("host " + h.name() + " unreachable: " + e.getMessage());
      }
    }
    for (Map.Entry<String, HostView> e : views.entrySet()) {
      if (RecoveryDecision.inFlight(e.getValue())) {
        // libvirt is still moving it: the outcome belongs to that job, not to us
        return new Result(
            vmName,
            Optional.empty(),
            true,
            List.of("migration still in progress on " + e.getKey()));
      }
    }
    List<Side> present =
        views.entrySet().stream()
            .filter(e -> e.getValue().reachable() && e.getValue().status().present())
            .map(e -> new Side(e.getKey(), e.getValue()))
            .toList();
    boolean anyUnreachable = views.values().stream().anyMatch(v -> !v.reachable());
    Side elsewhere =
        new Side("", anyUnreachable ? HostView.unreachable() : HostView.of(VmStatus.ABSENT));
    if (present.isEmpty()) {
      actions.add(anyUnreachable ? "no reachable host holds " + vmName : vmName + " is on no host");
      return new Result(vmName, Optional.empty(), false, actions);
    }
    if (present.size() > 2) {
      actions.add(vmName + " is on " + present.size() + " hosts: refusing to choose");
      return new Result(vmName, Optional.empty(), false, actions);
    }
    Side a = present.get(0);
    Side b = present.size() == 2 ? present.get(1) : elsewhere;
    Applied one = named(a, b);
    Applied other = named(b, a);
    if (!one.sameAs(other) || one.keep() == Keep.UNDECIDED) {
      actions.add(
          "not safe to decide ("
              + one.reason()
              + (one.sameAs(other) ? "" : " / " + other.reason())
              + "): nothing touched");
      return new Result(vmName, Optional.empty(), false, actions);
    }
    for (String host : one.resume()) {
      try (Hypervisor hv = factory.connect(endpoint(host))) {
        hv.resume(vmName);
        actions.add("resumed the paused copy on " + host);
      }
    }
    for (String host : one.remove()) {
      try (Hypervisor hv = factory.connect(endpoint(host))) {
        VmStatus was = views.get(host).status();
        hv.remove(vmName);
        actions.add("removed the " + was + " leftover on " + host);
      }
    }
    if (one.keep() == Keep.NOWHERE) {
      actions.add(one.reason());
    }
    if (one.keepHost() != null) {
      removeOrphanedOverlays(vmName, one.keepHost(), views, foreign, actions);
    }
    return new Result(vmName, Optional.ofNullable(one.keepHost()), false, actions);
  }

  /**
   * Deletes the VM's overlay and config volume on every other reachable host where no domain of its
   * name exists.
   */
  private void removeOrphanedOverlays(
      String vm,
      String kept,
      Map<String, HostView> views,
      Set<String> foreign,
      List<String> actions) {
    for (String overlay : List.of(vm + ".qcow2", ConfigDisk.volumeName(vm))) {
      removeOrphaned(vm, overlay, kept, views, foreign, actions);
    }
  }

  private void removeOrphaned(
      String vm,
      String overlay,
      String kept,
      Map<String, HostView> views,
      Set<String> foreign,
      List<String> actions) {
    for (Map.Entry<String, HostView> e : views.entrySet()) {
      String host = e.getKey();
      if (host.equals(kept) || foreign.contains(host) || !e.getValue().reachable()) {
        continue;
      }
      try (Hypervisor hv = factory.connect(endpoint(host))) {
        if (!hv.status(vm).present() && hv.volumeExists(overlay)) {
          hv.deleteVolume(overlay);
          actions.add(
              "removed the leftover "
                  + (overlay.endsWith(".qcow2") ? "overlay " : "volume ")
                  + overlay
                  + " on "
                  + host);
        }
      } catch (MigrationException ex) {
        actions.add("could not look for a leftover overlay on " + host + ": " + ex.getMessage());
      }
    }
  }

  private static Applied named(Side source, Side destination) {
    RecoveryPlan p =
        RecoveryDecision.decide(source.view(), destination.view(), JobPhase.UNKNOWN, true);
    if (p.resumesPostCopy()) {
      // only the migration run resumes a post-copy (it knows the settings and watches the call):
      // here both copies are left whole and the reason says what they need
      return new Applied(Keep.UNDECIDED, null, Set.of(), Set.of(), p.reason());
    }
    String keepHost =
        switch (p.keep()) {
          case SOURCE -> source.host();
          case DESTINATION -> destination.host();
          case NOWHERE, UNDECIDED -> null;
        };
    Set<String> resume = new TreeSet<>();
    Set<String> remove = new TreeSet<>();
    for (Step s : p.steps()) {
      Side side = s == Step.RESUME_SOURCE || s == Step.REMOVE_SOURCE ? source : destination;
      if (side.host().isEmpty()) {
        continue;
      }
      (s == Step.RESUME_SOURCE || s == Step.RESUME_DESTINATION ? resume : remove).add(side.host());
    }
    return new Applied(
        p.keep(),
        keepHost == null || keepHost.isEmpty() ? null : keepHost,
        resume,
        remove,
        p.reason());
  }

  private HypervisorEndpoint endpoint(String host) {
    return hosts.stream().filter(h -> h.name().equals(host)).findFirst().orElseThrow();
  }
}
