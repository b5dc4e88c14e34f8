package io.spotnest.hosts.events;

import io.spotnest.hosts.HostEvent;
import java.time.Instant;
import java.util.Comparator;

/**
 * Forced work first: interruption notices by earliest deadline, then hosts gone, then rebalance
 * signals.
 */
public final class EventOrder {
  private EventOrder() {}

  public static final Comparator<HostEvent> URGENCY =
      Comparator.comparingInt(EventOrder::rank).thenComparing(EventOrder::when);

  private static int rank(HostEvent e) {
    if (e instanceof HostEvent.InterruptionNotice) {
      return 0;
    }
    return e instanceof HostEvent.HostGone ? 1 : 2;
  }

  private static Instant when(HostEvent e) {
    if (e instanceof HostEvent.InterruptionNotice n) {
      return n.deadline();
    }
    if (e instanceof HostEvent.HostGone g) {
      return g.observedAt();
    }
    return ((HostEvent.RebalanceRecommendation) e).noticeTime();
  }
}
