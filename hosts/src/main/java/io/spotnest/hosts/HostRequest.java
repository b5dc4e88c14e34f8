package io.spotnest.hosts;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A request for one host: the caller's key for this launch, its size and place (the pool) and how
 * it is rented.
 *
 * <p>The key makes a launch idempotent: starting a launch again with the same key (after a timeout,
 * a crash or a restart of the controller) returns the same launch, and on EC2 the same instance,
 * never a second one. Journal the key before starting the launch.
 *
 * @param key caller's idempotency key, 1-64 of {@code [A-Za-z0-9._:-]}
 * @param pool preferred pool; a provider may fall back to other configured pools
 * @param market spot or on-demand
 */
public record HostRequest(String key, Pool pool, Market market) {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  public HostRequest {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "key: expected 1-64 of [A-Za-z0-9._:-], got '" + key + "'");
    }
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(market, "market");
  }

  /**
   * A request with a fresh random key: for callers that never retry a launch (tests, one-shot
   * tools).
   */
  public HostRequest(Pool pool, Market market) {
    this(UUID.randomUUID().toString(), pool, market);
  }
}
