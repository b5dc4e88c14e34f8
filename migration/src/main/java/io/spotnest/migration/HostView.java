package io.spotnest.migration;

/**
 * What recovery sees of one host's copy of a VM.
 *
 * @param reachable whether the host answered
 * @param status the copy's state and reason (meaningless when unreachable)
 * @param jobActive whether libvirt runs a job (a migration) on the copy
 * @param gone the host does not answer and is known not to come back (reclaimed, or silent past the
 *     time a migration could wait for it): whatever it held is lost
 */
public record HostView(boolean reachable, VmStatus status, boolean jobActive, boolean gone) {

  public HostView {
    if (status == null) {
      throw new IllegalArgumentException("host view needs a status");
    }
    if (gone && reachable) {
      throw new IllegalArgumentException("a host that answers is not gone");
    }
  }

  public HostView(boolean reachable, VmStatus status, boolean jobActive) {
    this(reachable, status, jobActive, false);
  }

  /** A host that does not answer now, but may again (a cut link, a restarting daemon). */
  public static HostView unreachable() {
    return new HostView(false, VmStatus.ABSENT, false);
  }

  /** A host that does not answer and will not again: its copy of the VM is lost. */
  public static HostView lost() {
    return new HostView(false, VmStatus.ABSENT, false, true);
  }

  public static HostView of(VmStatus status) {
    return new HostView(true, status, false);
  }

  public static HostView withJob(VmStatus status) {
    return new HostView(true, status, true);
  }

  @Override
  public String toString() {
    return reachable ? status + (jobActive ? " with a job" : "") : gone ? "gone" : "unreachable";
  }
}
