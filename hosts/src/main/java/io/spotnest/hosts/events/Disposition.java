package io.spotnest.hosts.events;

/** What became of one offered event, and so whether its source may forget it. */
public enum Disposition {
  /** The sink made the effect durable. */
  HANDLED(true),
  /** Seen and made durable before: nothing to do. */
  DUPLICATE(true),
  /** Unparseable, or about a host we do not own or that no longer exists: logged and dropped. */
  DROPPED(true),
  /** Transient failure: keep the event at its source so it is delivered again. */
  RETRY(false),
  /** A real failure, reported to the {@link IntakeObserver}; the event stays at its source. */
  PROPAGATED(false);

  private final boolean acknowledge;

  Disposition(boolean acknowledge) {
    this.acknowledge = acknowledge;
  }

  /** True when the source may delete or acknowledge the event. */
  public boolean acknowledge() {
    return acknowledge;
  }
}
