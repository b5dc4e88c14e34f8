package io.spotnest.orchestrator.port;

import java.time.Instant;
import java.util.Objects;

/** Something a cloud source (SQS, IMDS relay, polling) says about one host. */
public sealed interface FleetEvent
    permits FleetEvent.Notice, FleetEvent.Rebalance, FleetEvent.Gone {

  /** The source's stable id for the event. */
  String eventId();

  String hostId();

  /** Where it came from, e.g. {@code sqs} or {@code imds}. */
  String source();

  /** When it became known. */
  Instant at();

  /** The host will be reclaimed at {@code deadline}. */
  record Notice(String eventId, String hostId, String source, Instant at, Instant deadline)
      implements FleetEvent {
    public Notice {
      Objects.requireNonNull(deadline, "deadline");
    }
  }

  /** Elevated reclamation risk for the host: a signal, not an order. */
  record Rebalance(String eventId, String hostId, String source, Instant at)
      implements FleetEvent {}

  /** The host is gone (terminated, stopped, unreachable for good). */
  record Gone(String eventId, String hostId, String source, Instant at, String reason)
      implements FleetEvent {}
}
