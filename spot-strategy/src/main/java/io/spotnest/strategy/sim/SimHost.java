package io.spotnest.strategy.sim;

import io.spotnest.strategy.signal.PoolId;
import java.util.ArrayList;
import java.util.List;

/**
 * A rented host inside one simulation run (mutable simulation state, confined to the run). When it
 * will be reclaimed is the simulator's secret; the host shows the deadline only once its notice has
 * arrived.
 */
final class SimHost {
  final String id;

  /** The spot pool, or null for an on-demand host. */
  final SpotPool pool;

  /** Availability zone the host runs in. */
  final String zone;

  final double capacityGiB;

  /** Cost per hour in on-demand GiB-hours. */
  final double ratePerHour;

  final long launchedAt;
  final long readyAt;
  final List<SimAgent> agents = new ArrayList<>();
  double reservedGiB;
  boolean notified;
  private long noticeDeadline = -1;
  boolean cordoned;
  boolean terminated;
  long emptySince;

  /** True while this on-demand host is a warm spare kept empty for evacuations. */
  boolean spare;

  /**
   * True for a backup host: it holds standing copies (memory in files) and, after a flush, runs
   * their agents until they move on; it takes no new agent and no evacuation.
   */
  boolean backup;

  /** Standing copies it holds (agents it runs after a flush count as well, see {@link #slots}). */
  int copies;

  /** When the backup's link is free for the next flush. */
  double flushFreeAt;

  SimHost(
      String id,
      SpotPool pool,
      String zone,
      double capacityGiB,
      double ratePerHour,
      long launchedAt,
      long readyAt) {
    this.id = id;
    this.pool = pool;
    this.zone = zone;
    this.capacityGiB = capacityGiB;
    this.ratePerHour = ratePerHour;
    this.launchedAt = launchedAt;
    this.readyAt = readyAt;
    this.emptySince = readyAt;
  }

  boolean spare() {
    return spare;
  }

  boolean spot() {
    return pool != null;
  }

  String region() {
    return PoolId.regionOf(zone);
  }

  /** The reclamation deadline the notice announced, or -1 before a notice. */
  long noticeDeadline() {
    return noticeDeadline;
  }

  /** The provider's notice arrives: the host will be reclaimed at {@code deadline}. */
  void notice(long deadline) {
    notified = true;
    noticeDeadline = deadline;
  }

  boolean ready(long now) {
    return now >= readyAt;
  }

  double freeGiB() {
    return capacityGiB - reservedGiB;
  }

  /** Can take new agents: alive, not cordoned, not under notice. */
  boolean usable() {
    return !terminated && !cordoned && !notified && !backup;
  }

  /** Copies and flushed agents on this backup. */
  int slots() {
    return copies + agents.size();
  }

  double usedFraction() {
    return reservedGiB / capacityGiB;
  }
}
