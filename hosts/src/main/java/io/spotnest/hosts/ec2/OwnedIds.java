package io.spotnest.hosts.ec2;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Ids of instances known to be ours, from the last tag-filtered list plus our own launches. A burst of events about
 * many hosts costs one list call, not one describe per event.
 */
final class OwnedIds {
    private final Clock clock;
    private final Duration refreshAfter;
    private final Set<String> ids = new HashSet<>();
    private Instant listedAt = Instant.MIN;

    OwnedIds(Clock clock, Duration refreshAfter) {
        this.clock = clock;
        this.refreshAfter = refreshAfter;
    }

    synchronized void add(String id) {
        ids.add(id);
    }

    synchronized void replace(Collection<String> listed) {
        ids.clear();
        ids.addAll(listed);
        listedAt = clock.instant();
    }

    synchronized boolean contains(String id) {
        return ids.contains(id);
    }

    /** True or false when the cache can answer, null when a fresh list is needed. */
    synchronized Boolean lookup(String id) {
        if (ids.contains(id)) {
            return true;
        }
        return clock.instant().isBefore(listedAt.plus(refreshAfter)) ? Boolean.FALSE : null;
    }
}
