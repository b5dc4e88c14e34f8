package io.spotnest.hosts;

import java.time.Instant;
import java.util.Objects;

/**
 * Something the cloud or the host says about a host. Every event carries a stable id for
 * deduplication.
 */
public sealed interface HostEvent
    permits HostEvent.RebalanceRecommendation, HostEvent.InterruptionNotice, HostEvent.HostGone {

  /** Stable id: the cloud's event id, or a hash of the payload when the source gives none. */
  String eventId();

  /** The host the event is about. */
  String hostId();

  /** Elevated interruption risk: a signal, not an order to evacuate. */
  record RebalanceRecommendation(String eventId, String hostId, Instant noticeTime)
      implements HostEvent {
    public RebalanceRecommendation {
      requireIds(eventId, hostId);
      Objects.requireNonNull(noticeTime, "noticeTime");
    }
  }

  /**
   * The host will be reclaimed at {@code deadline}; {@code action} is e.g. terminate, stop or
   * hibernate.
   */
  record InterruptionNotice(String eventId, String hostId, Instant deadline, String action)
      implements HostEvent {
    public InterruptionNotice {
      requireIds(eventId, hostId);
      Objects.requireNonNull(deadline, "deadline");
      if (action == null || action.isBlank()) {
        throw new IllegalArgumentException("action must not be blank");
      }
    }
  }

  /** The host is gone (terminated, stopped, or unreachable for good). */
  record HostGone(String eventId, String hostId, Instant observedAt, String reason)
      implements HostEvent {
    public HostGone {
      requireIds(eventId, hostId);
      Objects.requireNonNull(observedAt, "observedAt");
      Objects.requireNonNull(reason, "reason");
    }
  }

  private static void requireIds(String eventId, String hostId) {
    if (eventId == null || eventId.isBlank()) {
      throw new IllegalArgumentException("eventId must not be blank");
    }
    if (hostId == null || hostId.isBlank()) {
      throw new IllegalArgumentException("hostId must not be blank");
    }
  }
}
