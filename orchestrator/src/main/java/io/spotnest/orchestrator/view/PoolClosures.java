package io.spotnest.orchestrator.view;

import io.spotnest.orchestrator.journal.JournalRecord.PoolClosed;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.PoolKey;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The reasons of pool closures and their times, which the model drops (it keeps only each pool's
 * latest end): per pool, the closure with the latest end of each kind (plain, burst drain), as
 * {@link FleetState} merges them. Whether a pool is closed or draining now is the model's answer.
 */
final class PoolClosures {
  /**
   * A journaled closure and when it happened: its journaled time, else (an older record) when this
   * process saw it, null when replayed.
   */
  private record Seen(PoolClosed closure, Instant at) {}

  private final Map<PoolKey, Seen> closed = new HashMap<>();
  private final Map<PoolKey, Seen> drained = new HashMap<>();

  /**
   * Takes a journaled closure; {@code seenAt} is when this process saw it (null when replayed),
   * used only when the record has no time of its own.
   */
  void add(PoolClosed c, Instant seenAt) {
    Map<PoolKey, Seen> kind = c.drainBy() == null ? closed : drained;
    kind.merge(
        c.pool(),
        new Seen(c, c.at() != null ? c.at() : seenAt),
        (old, next) -> next.closure().until().isBefore(old.closure().until()) ? old : next);
  }

  /**
   * Every pool in {@code assessed} or ever closed, by name, as {@code s} treats it at {@code now},
   * with its latest risk by {@code risk} (null when unknown).
   */
  List<PoolStatus> statuses(
      FleetState s, Instant now, Collection<PoolKey> assessed, Function<PoolKey, Double> risk) {
    Map<String, PoolKey> pools = new TreeMap<>();
    for (Collection<PoolKey> keys : List.of(assessed, closed.keySet(), drained.keySet())) {
      keys.forEach(k -> pools.put(k.toString(), k));
    }
    return pools.values().stream().map(p -> status(s, now, p, risk.apply(p))).toList();
  }

  private PoolStatus status(FleetState s, Instant now, PoolKey pool, Double risk) {
    if (s.poolOpen(pool, now)) {
      return PoolStatus.open(pool, risk);
    }
    boolean draining = s.poolDraining(pool, now);
    Seen cause = draining ? drained.get(pool) : latest(closed.get(pool), drained.get(pool));
    Instant until = s.closedUntil(pool).orElseThrow();
    return new PoolStatus(
        pool,
        draining ? PoolStatus.State.DRAINING : PoolStatus.State.CLOSED,
        cause == null ? null : cause.closure().kind(),
        cause == null ? null : cause.closure().reason(),
        cause == null ? null : cause.at(),
        until,
        draining && cause != null ? cause.closure().drainBy() : null,
        risk);
  }

  private static Seen latest(Seen a, Seen b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return b.closure().until().isAfter(a.closure().until()) ? b : a;
  }
}
