package io.spotnest.strategy.sim;

import io.spotnest.strategy.data.CapacityTrace;
import java.util.ArrayList;
import java.util.List;

/**
 * The spot market of one pool as the simulator plays it: reclamation events from the trace and the windows in
 * which the pool refuses launches (from the moment a reclamation's notices can start until capacity returns).
 */
final class Market {
  /** One reclamation of the trace: at {@code second}, the count fell from {@code before} to {@code after}. */
  record Drop(long second, int before, int after, long closeAt, long reopenAt) {
  }

  final PoolMarket pool;
  final List<Drop> drops;
  private int nextDrop;

  Market(PoolMarket pool, SimConfig config) {
    this.pool = pool;
    CapacityTrace t = pool.trace();
    List<Drop> out = new ArrayList<>();
    for (int tick : t.reclamationTicks()) {
      long at = (long) tick * t.gapSeconds();
      long reopen = at;
      if (t.count(tick) == 0) {
        int k = tick;
        while (k < t.ticks() && t.count(k) == 0) {
          k++;
        }
        reopen = (long) k * t.gapSeconds();
      }
      long close = Math.max(0, at - config.noticeSeconds() - config.burstSpreadSeconds());
      out.add(new Drop(at, t.count(tick - 1), t.count(tick), close, reopen));
    }
    this.drops = List.copyOf(out);
  }

  /** Whether the pool has capacity for a launch at {@code second}. */
  boolean open(long second) {
    CapacityTrace t = pool.trace();
    if (t.count(t.tickAt(java.time.Duration.ofSeconds(second))) == 0) {
      return false;
    }
    for (int i = Math.max(0, nextDrop - 1); i < drops.size(); i++) {
      Drop d = drops.get(i);
      if (d.closeAt() > second) {
        break;
      }
      if (second < d.reopenAt()) {
        return false;
      }
    }
    return true;
  }

  /** The next drop whose close time has been reached by {@code second}, advancing past it; null if none. */
  Drop dropClosingBy(long second) {
    if (nextDrop < drops.size() && drops.get(nextDrop).closeAt() <= second) {
      return drops.get(nextDrop++);
    }
    return null;
  }

  /** The first drop at or after {@code second} (for the oracle only). */
  Drop nextDropAfter(long second) {
    for (Drop d : drops) {
      if (d.second() >= second) {
        return d;
      }
    }
    return null;
  }
}
