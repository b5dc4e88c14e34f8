package io.spotnest.hosts.events;

import io.spotnest.hosts.HostEvent;

/** Told about events the intake drops or fails on; the default implementation logs. */
public interface IntakeObserver {

  System.Logger LOG = System.getLogger(IntakeObserver.class.getName());

  /** An event was dropped (acknowledged without effect). */
  default void dropped(String source, String reason) {
    LOG.log(System.Logger.Level.INFO, "dropped event from {0}: {1}", source, reason);
  }

  /** The sink failed for a non-transient reason; the event stays at its source. */
  default void propagated(HostEvent event, RuntimeException failure) {
    LOG.log(
        System.Logger.Level.WARNING,
        "sink failed for event " + event.eventId() + " on host " + event.hostId(),
        failure);
  }

  /** The logging observer. */
  static IntakeObserver logging() {
    return new IntakeObserver() {};
  }
}
