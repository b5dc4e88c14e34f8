package io.spotnest.hosts;

import java.util.Objects;

/**
 * A request for one host: its size and place (the pool) and how it is rented.
 *
 * @param pool preferred pool; a provider may fall back to other configured pools
 * @param market spot or on-demand
 */
public record HostRequest(Pool pool, Market market) {
    public HostRequest {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(market, "market");
    }
}
