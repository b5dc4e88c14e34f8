package io.spotnest.migration;

import java.util.List;
import java.util.Optional;

/** After a failed migration: makes sure the VM runs on the source and nothing of it is left on the destination. */
final class RunRecovery {

  private final Hypervisor src;
  private final Hypervisor dst;
  private final HypervisorFactory factory;
  private final String vm;

  RunRecovery(Hypervisor src, Hypervisor dst, HypervisorFactory factory, String vm) {
    this.src = src;
    this.dst = dst;
    this.factory = factory;
    this.vm = vm;
  }

  /** Returns where the VM runs afterwards. */
  Optional<String> recover(boolean switchedToPostCopy, boolean createdOverlay, List<String> notes) {
    VmState here = src.state(vm);
    if (here == VmState.PAUSED && !switchedToPostCopy) {
      try {
        src.resume(vm);
        notes.add("resumed the paused source");
        here = VmState.RUNNING;
      } catch (MigrationException e) {
        notes.add("could not resume the source: " + e.getMessage());
      }
    }
    VmState there = VmState.ABSENT;
    if (destinationAlive()) {
      there = dst.state(vm);
      if (there != VmState.ABSENT && here == VmState.RUNNING) {
        dst.remove(vm);
        notes.add("removed the incomplete copy from the destination");
        there = VmState.ABSENT;
      } else if (createdOverlay && there == VmState.ABSENT) {
        dst.deleteVolume(vm + ".qcow2");
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

  boolean destinationAlive() {
    try (Hypervisor probe = factory.connect(dst.endpoint())) {
      probe.usedMemoryMib();
      return true;
    } catch (MigrationException e) {
      return false;
    }
  }
}
