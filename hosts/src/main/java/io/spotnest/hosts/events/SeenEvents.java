package io.spotnest.hosts.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Ids of events already made durable, remembered for a bounded time and count. Thread-safe. */
public final class SeenEvents {
  private final Clock clock;
  private final Duration ttl;
  private final int capacity;
  private final LinkedHashMap<String, Instant> seen = new LinkedHashMap<>();

  public SeenEvents(Clock clock, Duration ttl, int capacity) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, got " + ttl);
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.clock = clock;
    this.ttl = ttl;
    this.capacity = capacity;
  }

  /** Remembers an id for 6 hours (longer than an EC2 notice lives), at most 100 000 ids. */
  public static SeenEvents standard(Clock clock) {
    return new SeenEvents(clock, Duration.ofHours(6), 100_000);
  }

  public synchronized boolean contains(String eventId) {
    expire();
    return seen.containsKey(eventId);
  }

  public synchronized void add(String eventId) {
    expire();
    seen.remove(eventId);
    seen.put(eventId, clock.instant().plus(ttl));
    while (seen.size() > capacity) {
      Iterator<String> oldest = seen.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  private void expire() {
    Instant now = clock.instant();
    Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator();
    while (it.hasNext() && !it.next().getValue().isAfter(now)) {
      it.remove();
    }
  }
}
