package io.spotnest.strategy.sim;

import io.spotnest.strategy.data.CapacityTrace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The truth about one pool in a run: the trace's reclamations with the windows around them. Only
 * the simulator and the oracle (see {@link Clairvoyant}) hold it; strategies see the pool as a
 * {@link SpotPool}.
 */
final class Market {
  /**
   * One reclamation of the trace: at {@code second}, the count fell from {@code before} to {@code
   * after}; its notices may start at {@code closeAt}, capacity is back at {@code reopenAt}.
   */
  record Drop(long second, int before, int after, long closeAt, long reopenAt) {}

  final PoolMarket pool;
  final SpotPool view;
  final List<Drop> drops;
  private int nextDrop;
  private Drop active;

  /** The truth about {@code pool} in a run whose present second {@code clock} tells. */
  Market(PoolMarket pool, SimConfig config, LongSupplier clock) {
    this.pool = pool;
    this.view = new SpotPool(pool, clock);
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

  /** Whether the trace shows capacity at {@code second} (the present only: a launch succeeds). */
  boolean hasCapacity(long second) {
    CapacityTrace t = pool.trace();
    return t.count(t.tickAt(Duration.ofSeconds(second))) > 0;
  }

  /**
   * Whether the pool has capacity and no reclamation is under way or imminent (the oracle's view).
   */
  boolean open(long second) {
    if (!hasCapacity(second)) {
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

  /**
   * The next drop whose close time has been reached by {@code second}, advancing past it; null if
   * none.
   */
  Drop dropClosingBy(long second) {
    if (nextDrop < drops.size() && drops.get(nextDrop).closeAt() <= second) {
      active = drops.get(nextDrop++);
      return active;
    }
    return null;
  }

  /**
   * The drop to zero whose notices have started and whose reclamation is still ahead at {@code
   * second}, or null.
   */
  Drop pendingDropToZero(long second) {
    return active != null && active.after() == 0 && second < active.second() ? active : null;
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
