package io.spotnest.hosts.ec2;

import io.spotnest.hosts.Market;
import io.spotnest.hosts.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Offerings (pool + market) that just failed for capacity, skipped for placement until their TTL runs out. */
public final class UnavailableOfferings {
    private record Offering(Pool pool, Market market) {
    }

    private final Clock clock;
    private final Duration ttl;
    private final Map<Offering, Instant> until = new HashMap<>();

    public UnavailableOfferings(Clock clock, Duration ttl) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("unavailableTtl: must not be negative, got " + ttl);
        }
        this.clock = clock;
        this.ttl = ttl;
    }

    public synchronized void mark(Pool pool, Market market) {
        until.put(new Offering(pool, market), clock.instant().plus(ttl));
    }

    public synchronized boolean isUnavailable(Pool pool, Market market) {
        Instant t = until.get(new Offering(pool, market));
        if (t == null) {
            return false;
        }
        if (!clock.instant().isBefore(t)) {
            until.remove(new Offering(pool, market));
            return false;
        }
        return true;
    }
}
