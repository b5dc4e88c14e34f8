package io.spotnest.orchestrator.placement;

import io.spotnest.orchestrator.model.Move;
import io.spotnest.orchestrator.model.StandingCopy;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts migrations in flight per host and per link (pair of hosts) and hands out the remaining
 * slots. A standing copy's stream is a migration like a move: it holds a slot on its source, its
 * backup and their link while it stands. Its flush becomes a move in its place, so a flush reuses
 * that slot and never takes (or waits for) another. A forced move never waits for a copy whose own
 * source has no notice or drain: such a copy gives its slot up ({@code MoveStarter}).
 */
public final class MigrationSlots {
  private final Limits limits;
  private final Map<String, Integer> perHost = new HashMap<>();
  private final Map<String, Integer> perLink = new HashMap<>();

  private MigrationSlots(Limits limits) {
    this.limits = limits;
  }

  public static MigrationSlots of(Collection<Move> inFlight, Limits limits) {
    return of(inFlight, List.of(), limits);
  }

  /** The slots left by the moves in flight and the standing copies' streams. */
  public static MigrationSlots of(
      Collection<Move> inFlight, Collection<StandingCopy> streams, Limits limits) {
    MigrationSlots s = new MigrationSlots(limits);
    for (Move m : inFlight) {
      s.count(m.from(), m.to());
    }
    for (StandingCopy c : streams) {
      s.count(c.from(), c.backup());
    }
    return s;
  }

  /**
   * Takes a slot for a move {@code from → to} if both hosts and their link have one free (a
   * standing copy's stream takes its own with {@link #takeFor}).
   */
  public boolean take(String from, String to) {
    if (!free(from, to)) {
      return false;
    }
    count(from, to);
    return true;
  }

  /**
   * Takes the slot of a standing copy's stream that is about to start; its caller picked the backup
   * among hosts with a free slot, so none free is a defect and throws.
   *
   * @throws IllegalStateException when the copy's source, backup or their link has no free slot
   */
  public void takeFor(StandingCopy c) {
    if (!take(c.from(), c.backup())) {
      throw new IllegalStateException(
          "no migration slot free for standing copy "
              + c.copyId()
              + " "
              + c.from()
              + " -> "
              + c.backup()
              + ": its backup must be picked among hosts with one");
    }
  }

  /** Gives back the slot a standing copy's stream held (the copy was dropped, ended or refused). */
  public void release(StandingCopy c) {
    String from = c.from();
    String to = c.backup();
    perHost.computeIfPresent(from, (h, n) -> n > 1 ? n - 1 : null);
    perHost.computeIfPresent(to, (h, n) -> n > 1 ? n - 1 : null);
    perLink.computeIfPresent(link(from, to), (l, n) -> n > 1 ? n - 1 : null);
  }

  /** Whether a move {@code from → to} would find a slot on both hosts and their link. */
  public boolean free(String from, String to) {
    return hostFree(from) && hostFree(to) && linkFree(from, to);
  }

  /** Whether the link between {@code a} and {@code b} may carry one more move. */
  public boolean linkFree(String a, String b) {
    return perLink.getOrDefault(link(a, b), 0) < limits.maxMovesPerLink();
  }

  /** Whether {@code hostId} may take part in one more move. */
  public boolean hostFree(String hostId) {
    return perHost.getOrDefault(hostId, 0) < limits.maxMovesPerHost();
  }

  /**
   * Moves that would share the busier of the two hosts if one more ran {@code from → to} (itself
   * included).
   */
  public int sharing(String from, String to) {
    return Math.max(perHost.getOrDefault(from, 0), perHost.getOrDefault(to, 0)) + 1;
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
