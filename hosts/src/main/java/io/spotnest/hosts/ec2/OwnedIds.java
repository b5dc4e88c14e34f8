package io.spotnest.hosts.ec2;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Instances known to be ours (id and pool), from tag-filtered lists plus our own launches. A burst
 * of events about many hosts costs one list call, not one describe per event. An instance stays
 * known for an hour after it was last listed, so the "terminated" event that arrives after it left
 * the list is still recognised as ours.
 */
final class OwnedIds {
  private static final Duration REMEMBER = Duration.ofHours(1);

  private record Known(Pool pool, Instant lastSeen) {}

  private final Clock clock;
  private final Duration refreshAfter;
  private final Map<String, Known> known = new HashMap<>();
  private Instant listedAt = Instant.MIN;

  OwnedIds(Clock clock, Duration refreshAfter) {
    this.clock = clock;
    this.refreshAfter = refreshAfter;
  }

  /** An instance of a list: its id and pool. */
  record Entry(String id, Pool pool) {}

  synchronized void add(Host host) {
    known.put(host.id(), new Known(host.pool(), clock.instant()));
  }

  /**
   * Records a fresh list; instances missing from it are forgotten an hour after they were last
   * seen.
   */
  synchronized void listed(Collection<Entry> hosts) {
    Instant now = clock.instant();
    hosts.forEach(h -> known.put(h.id(), new Known(h.pool(), now)));
    known.values().removeIf(k -> k.lastSeen().plus(REMEMBER).isBefore(now));
    listedAt = now;
  }

  synchronized boolean contains(String id) {
    return known.containsKey(id);
  }

  synchronized Optional<Pool> pool(String id) {
    return Optional.ofNullable(known.get(id)).map(Known::pool);
  }

  /** True or false when the cache can answer, null when a fresh list is needed. */
  synchronized Boolean lookup(String id) {
    if (known.containsKey(id)) {
      return true;
    }
    return clock.instant().isBefore(listedAt.plus(refreshAfter)) ? Boolean.FALSE : null;
  }
}
