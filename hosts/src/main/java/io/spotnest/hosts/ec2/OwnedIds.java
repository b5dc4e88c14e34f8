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
 * Instances known to be ours (id and pool), from the last tag-filtered list plus our own launches. A burst of events
 * about many hosts costs one list call, not one describe per event.
 */
final class OwnedIds {
    private final Clock clock;
    private final Duration refreshAfter;
    private final Map<String, Pool> pools = new HashMap<>();
    private Instant listedAt = Instant.MIN;

    OwnedIds(Clock clock, Duration refreshAfter) {
        this.clock = clock;
        this.refreshAfter = refreshAfter;
    }

    synchronized void add(Host host) {
        pools.put(host.id(), host.pool());
    }

    synchronized void replace(Collection<Host> listed) {
        pools.clear();
        listed.forEach(h -> pools.put(h.id(), h.pool()));
        listedAt = clock.instant();
    }

    synchronized boolean contains(String id) {
        return pools.containsKey(id);
    }

    synchronized Optional<Pool> pool(String id) {
        return Optional.ofNullable(pools.get(id));
    }

    /** True or false when the cache can answer, null when a fresh list is needed. */
    synchronized Boolean lookup(String id) {
        if (pools.containsKey(id)) {
            return true;
        }
        return clock.instant().isBefore(listedAt.plus(refreshAfter)) ? Boolean.FALSE : null;
    }
}
