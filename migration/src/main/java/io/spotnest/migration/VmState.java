package io.spotnest.migration;

/** An agent VM's state on one host. */
public enum VmState {
  RUNNING,
  PAUSED,
  SHUT_OFF,
  ABSENT,
  OTHER
}
