package io.spotnest.jenkins;

import io.spotnest.jenkins.port.AgentPhase;

/**
 * Whether to end an agent: only when idle long enough, and never while it is busy, starting or
 * migrating.
 */
enum RetentionRule {
  KEEP_MIGRATING,
  KEEP_STARTING,
  KEEP_BUSY,
  KEEP_IDLE,
  TERMINATE;

  /** What the retention strategy sees of one agent. */
  record Activity(int busyExecutors, long idleSinceMillis, AgentPhase phase) {}

  static RetentionRule decide(Activity activity, int idleMinutes, long nowMillis) {
    if (activity.phase() == AgentPhase.MIGRATING) {
      return KEEP_MIGRATING;
    }
    if (activity.phase() == AgentPhase.STARTING) {
      return KEEP_STARTING;
    }
    if (activity.busyExecutors() > 0) {
      return KEEP_BUSY;
    }
    long idleMillis = nowMillis - activity.idleSinceMillis();
    return idleMillis >= idleMinutes * 60_000L ? TERMINATE : KEEP_IDLE;
  }
}
