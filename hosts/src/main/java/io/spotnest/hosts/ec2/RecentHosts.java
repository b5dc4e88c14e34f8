package io.spotnest.hosts.ec2;

import io.spotnest.hosts.Host;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The provider's host list, listed again at most every {@code maxAge}: every host's watcher asks
 * for its flood list every poll, and that must not cost one DescribeInstances each.
 */
final class RecentHosts implements Supplier<List<Host>> {
  private final Supplier<List<Host>> list;
  private final Clock clock;
  private final Duration maxAge;
  private List<Host> hosts;
  private Instant listedAt = Instant.MIN;

  RecentHosts(Supplier<List<Host>> list, Clock clock, Duration maxAge) {
    this.list = Objects.requireNonNull(list, "list");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
  }

  @Override
  public synchronized List<Host> get() {
    Instant now = clock.instant();
    if (hosts == null || !now.isBefore(listedAt.plus(maxAge))) {
      hosts = List.copyOf(list.get());
      listedAt = now;
    }
    return hosts;
  }
}
