package io.spotnest.hosts.events;

import io.spotnest.hosts.HostEvent;
import io.spotnest.hosts.HostEventSink;
import io.spotnest.hosts.SinkUnavailableException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Single entry for host events from every source (SQS, IMDS relay, polling). Deduplicates by event
 * id, drops events about hosts we do not own, hands the rest to the durable sink, and sorts
 * failures into retry or propagate. It never throws for one event, so one bad event cannot stop a
 * source's loop.
 */
public final class EventIntake {
  private final HostEventSink sink;
  private final HostDirectory directory;
  private final SeenEvents seen;
  private final IntakeObserver observer;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  public EventIntake(
      HostEventSink sink, HostDirectory directory, SeenEvents seen, IntakeObserver observer) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.seen = Objects.requireNonNull(seen, "seen");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /** Offers one parsed event; returns what the source should do with it. */
  public Disposition offer(String source, HostEvent event) {
    if (seen.contains(event.eventId())) {
      return Disposition.DUPLICATE;
    }
    if (!inFlight.add(event.eventId())) {
      return Disposition.RETRY; // the same event is being handled right now via another delivery
    }
    try {
      if (!directory.owns(event.hostId())) {
        observer.dropped(
            source,
            "host "
                + event.hostId()
                + " is not ours or no longer exists (event "
                + event.eventId()
                + ")");
        return Disposition.DROPPED;
      }
      sink.accept(event);
      seen.add(event.eventId());
      return Disposition.HANDLED;
    } catch (SinkUnavailableException e) {
      return Disposition.RETRY;
    } catch (RuntimeException e) {
      observer.propagated(event, e);
      return Disposition.PROPAGATED;
    } finally {
      inFlight.remove(event.eventId());
    }
  }

  /** Records a message that could not be parsed: it is dropped, never retried. */
  public Disposition reject(String source, String reason) {
    observer.dropped(source, reason);
    return Disposition.DROPPED;
  }
}
