package io.spotnest.jenkins.orchestrator;

import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.FailedLaunch;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.port.HostFleet;
import io.spotnest.orchestrator.port.HostOrder;
import io.spotnest.orchestrator.port.ObservedHost;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Static hosts some of which are someone else's spot capacity, as the {@code marketFeed} file says:
 * the hosts of the pools it lists show as spot hosts (their risk comes from the feed), and its
 * notices arrive as the hosts' reclamation notices (source {@value #SOURCE}). Attaching a host is
 * the same for either market: a spot order attaches a static host of its pool. A listed host keeps
 * everything else its provider reports (its underlay address too).
 */
final class FeedHostFleet implements HostFleet {
  static final String SOURCE = "market-feed";
  private static final String ID_PREFIX = "market-feed:";
  private final HostFleet hosts;
  private final FileMarketFeed feed;
  private final Set<PoolKey> spotPools;
  private final Clock clock;
  private final Set<String> acknowledged = new HashSet<>();

  /**
   * @param spotPools the pools whose hosts are spot (the feed's pools when the fleet was built)
   */
  FeedHostFleet(HostFleet hosts, FileMarketFeed feed, Set<PoolKey> spotPools, Clock clock) {
    this.hosts = Objects.requireNonNull(hosts, "hosts");
    this.feed = Objects.requireNonNull(feed, "feed");
    this.spotPools = Set.copyOf(spotPools);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void launch(String launchKey, HostOrder order) {
    hosts.launch(launchKey, new HostOrder(order.pool(), Market.ON_DEMAND, order.capacityMiB()));
  }

  @Override
  public List<FailedLaunch> failedLaunches() {
    return hosts.failedLaunches();
  }

  @Override
  public List<ObservedHost> list() {
    List<ObservedHost> out = new ArrayList<>();
    for (ObservedHost h : hosts.list()) {
      out.add(spotPools.contains(h.pool()) ? h.withMarket(Market.SPOT) : h);
    }
    return out;
  }

  @Override
  public void terminate(String hostId) {
    hosts.terminate(hostId);
  }

  /** The hosts' own events, then the feed's notices for listed hosts not yet acknowledged. */
  @Override
  public List<FleetEvent> poll() {
    List<FleetEvent> events = new ArrayList<>(hosts.poll());
    Set<String> listed = new HashSet<>();
    hosts.list().forEach(h -> listed.add(h.id()));
    synchronized (acknowledged) {
      for (MarketFeedFile.Notice n : feed.contents().notices()) {
        String id = ID_PREFIX + n.id();
        if (listed.contains(n.host()) && !acknowledged.contains(id)) {
          events.add(new FleetEvent.Notice(id, n.host(), SOURCE, clock.instant(), n.deadline()));
        }
      }
    }
    return events;
  }

  @Override
  public void acknowledge(FleetEvent event) {
    if (event.eventId().startsWith(ID_PREFIX)) {
      synchronized (acknowledged) {
        acknowledged.add(event.eventId());
      }
      return;
    }
    hosts.acknowledge(event);
  }
}
