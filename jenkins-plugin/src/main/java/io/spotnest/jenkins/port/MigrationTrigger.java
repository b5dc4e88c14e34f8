package io.spotnest.jenkins.port;

/** Why an agent was moved. */
public sealed interface MigrationTrigger {

  /** The host's predicted reclaim risk passed the threshold. */
  record Risk(double risk, double threshold) implements MigrationTrigger {}

  /**
   * The provider announced the reclaim, e.g. "spot interruption notice" or "rebalance
   * recommendation".
   */
  record Notice(String notice) implements MigrationTrigger {}

  /** An administrator asked (migrate now, drain host). */
  record Operator(String action) implements MigrationTrigger {}
}
