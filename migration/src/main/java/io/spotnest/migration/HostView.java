package io.spotnest.migration;

/**
 * What recovery sees of one host's copy of a VM.
 *
 * @param reachable whether the host answered
 * @param status the copy's state and reason (meaningless when unreachable)
 * @param jobActive whether libvirt runs a job (a migration) on the copy
 */
public record HostView(boolean reachable, VmStatus status, boolean jobActive) {

  public HostView {
    if (status == null) {
      throw new IllegalArgumentException("host view needs a status");
    }
  }

  public static HostView unreachable() {
    return new HostView(false, VmStatus.ABSENT, false);
  }

  public static HostView of(VmStatus status) {
    return new HostView(true, status, false);
  }

  public static HostView withJob(VmStatus status) {
    return new HostView(true, status, true);
  }

  @Override
  public String toString() {
    return reachable ? status + (jobActive ? " with a job" : "") : "unreachable";
  }
}
