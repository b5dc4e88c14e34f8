package io.spotnest.orchestrator.placement;

import io.spotnest.orchestrator.model.Move;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts migrations in flight per host and per link (pair of hosts) and hands out the remaining
 * slots.
 */
public final class MigrationSlots {
  private final Limits limits;
  private final Map<String, Integer> perHost = new HashMap<>();
  private final Map<String, Integer> perLink = new HashMap<>();

  private MigrationSlots(Limits limits) {
    this.limits = limits;
  }

  public static MigrationSlots of(Collection<Move> inFlight, Limits limits) {
    MigrationSlots s = new MigrationSlots(limits);
    for (Move m : inFlight) {
      s.count(m.from(), m.to());
    }
    return s;
  }

  /** Takes a slot for a move {@code from → to} if both hosts and their link have one free. */
  public boolean take(String from, String to) {
    if (perHost.getOrDefault(from, 0) >= limits.maxMovesPerHost()
        || perHost.getOrDefault(to, 0) >= limits.maxMovesPerHost()
        || perLink.getOrDefault(link(from, to), 0) >= limits.maxMovesPerLink()) {
      return false;
    }
    count(from, to);
    return true;
  }

  private void count(String from, String to) {
    perHost.merge(from, 1, Integer::sum);
    perHost.merge(to, 1, Integer::sum);
    perLink.merge(link(from, to), 1, Integer::sum);
  }

  private static String link(String a, String b) {
    return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
  }
}
