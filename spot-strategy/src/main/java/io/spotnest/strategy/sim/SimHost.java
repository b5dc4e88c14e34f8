package io.spotnest.strategy.sim;

import java.util.ArrayList;
import java.util.List;

/** A rented host inside one simulation run (mutable simulation state, confined to the run). */
final class SimHost {
  final String id;
  /** The spot pool, or null for an on-demand host. */
  final PoolMarket pool;
  final double capacityGiB;
  /** Cost per hour in on-demand GiB-hours. */
  final double ratePerHour;
  final long launchedAt;
  final long readyAt;
  final List<SimAgent> agents = new ArrayList<>();
  double reservedGiB;
  long noticeAt = -1;
  long reclaimAt = -1;
  boolean notified;
  boolean cordoned;
  boolean terminated;
  long emptySince;
  /** True while this on-demand host is a warm spare kept empty for evacuations. */
  boolean spare;

  SimHost(String id, PoolMarket pool, double capacityGiB, double ratePerHour, long launchedAt, long readyAt) {
    this.id = id;
    this.pool = pool;
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

  boolean ready(long now) {
    return now >= readyAt;
  }

  double freeGiB() {
    return capacityGiB - reservedGiB;
  }

  /** Can take new agents: alive, not cordoned, not under notice. */
  boolean usable() {
    return !terminated && !cordoned && !notified;
  }

  double usedFraction() {
    return reservedGiB / capacityGiB;
  }
}
