package io.spotnest.hosts;

/** Lifecycle of a rented host as the provider reports it. */
public enum HostState {
  PENDING,
  RUNNING,
  STOPPING,
  STOPPED,
  TERMINATING,
  TERMINATED;

  /** True while the host exists and can still carry agent VMs or be reclaimed. */
  public boolean isLive() {
    return this == PENDING || this == RUNNING;
  }
}
