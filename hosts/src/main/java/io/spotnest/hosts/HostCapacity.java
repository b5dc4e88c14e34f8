package io.spotnest.hosts;

/**
 * What a host offers to agent VMs. Zero means "not known" (e.g. a static machine whose size is not
 * configured).
 *
 * @param vcpus virtual CPUs
 * @param memoryMib memory in MiB
 * @param diskGib local disk for VM images in GiB
 */
public record HostCapacity(int vcpus, long memoryMib, long diskGib) {
  /** Nothing known. */
  public static final HostCapacity UNKNOWN = new HostCapacity(0, 0, 0);

  public HostCapacity {
    if (vcpus < 0 || memoryMib < 0 || diskGib < 0) {
      throw new IllegalArgumentException(
          "capacity must not be negative: "
              + vcpus
              + " vCPU, "
              + memoryMib
              + " MiB, "
              + diskGib
              + " GiB");
    }
  }

  /** True when CPUs and memory are known (disk may still be 0). */
  public boolean isKnown() {
    return vcpus > 0 && memoryMib > 0;
  }
}
