package io.spotnest.hosts;

/**
 * Receives host events. {@link #accept} returns only once the event's effect is durable (journaled
 * or applied); the intake acknowledges the event at the source only after that.
 */
@FunctionalInterface
public interface HostEventSink {

  /**
   * Makes the event's effect durable.
   *
   * @throws SinkUnavailableException transient failure: the event must be delivered again later
   * @throws RuntimeException any other failure: the event is kept at its source and the failure is
   *     propagated
   */
  void accept(HostEvent event);
}
