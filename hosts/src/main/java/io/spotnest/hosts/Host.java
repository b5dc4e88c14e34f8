package io.spotnest.hosts;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * A host (L1 VM or machine) that runs agent VMs.
 *
 * @param id provider id, e.g. an EC2 instance id
 * @param pool where it runs and its size
 * @param market how it is rented
 * @param state provider-reported state
 * @param libvirtUri URI the migration engine connects to
 * @param launchTime when it was launched or attached
 */
public record Host(String id, Pool pool, Market market, HostState state, URI libvirtUri, Instant launchTime) {
    public Host {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id must not be blank");
        }
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(libvirtUri, "libvirtUri");
        Objects.requireNonNull(launchTime, "launchTime");
    }
}
