package io.spotnest.hosts.ec2;

import io.spotnest.hosts.HostLaunchException;
import io.spotnest.hosts.LaunchFailure;
import io.spotnest.hosts.Market;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Holds {@code cap.hosts} and {@code cap.spotHosts} under concurrent launches. Each launch reserves
 * a slot before its first RunInstances; slots count together with the live hosts of a fresh list. A
 * slot that got its instance keeps counting (once, even if the list shows it too) for a grace
 * period, so a list that does not show the new instance yet cannot let another launch past the cap.
 */
final class LaunchSlots {
  static final Duration GRACE = Duration.ofMinutes(2);

  /** One launch's claim on the caps. */
  static final class Slot {
    private Market market;
    private String hostId;
    private Instant launchedAt;
    private final List<Market> markets;

    private Slot(Market market, List<Market> markets) {
      this.market = market;
      this.markets = markets;
    }

    /** The markets this launch may try, in order. */
    List<Market> markets() {
      return markets;
    }
  }

  private final Ec2Settings settings;
  private final Clock clock;
  private final Set<Slot> slots = new HashSet<>();

  LaunchSlots(Ec2Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Reserves a slot for a launch asked in {@code requested}, given the live hosts (id to market) of
   * a list taken just before; it counts as spot only if spot is allowed, else as on-demand if the
   * fallback allows it.
   */
  synchronized Slot reserve(Market requested, Map<String, Market> live) {
    Instant now = clock.instant();
    slots.removeIf(s -> s.hostId != null && !now.isBefore(s.launchedAt.plus(GRACE)));
    Set<String> counted = new HashSet<>(live.keySet());
    Set<String> spot = new HashSet<>();
    live.forEach(
        (id, m) -> {
          if (m == Market.SPOT) {
            spot.add(id);
          }
        });
    int anonymous = 0;
    int anonymousSpot = 0;
    for (Slot s : slots) {
      if (s.hostId == null) {
        anonymous++;
        anonymousSpot += s.market == Market.SPOT ? 1 : 0;
      } else {
        counted.add(s.hostId);
        if (s.market == Market.SPOT) {
          spot.add(s.hostId);
        }
      }
    }
    int total = counted.size() + anonymous;
    int spotTotal = spot.size() + anonymousSpot;
    if (total >= settings.maxHosts()) {
      throw new HostLaunchException(
          LaunchFailure.QUOTA,
          "cap.hosts reached: "
              + total
              + " of "
              + settings.maxHosts()
              + " hosts live or launching");
    }
    List<Market> markets = new ArrayList<>();
    if (requested == Market.SPOT && spotTotal < settings.maxSpotHosts()) {
      markets.add(Market.SPOT);
    }
    if (requested == Market.ON_DEMAND || settings.fallbackToOnDemand()) {
      markets.add(Market.ON_DEMAND);
    }
    if (markets.isEmpty()) {
      throw new HostLaunchException(
          LaunchFailure.QUOTA,
          "cap.spotHosts reached: "
              + spotTotal
              + " of "
              + settings.maxSpotHosts()
              + " spot hosts live or launching and fallback.onDemand is false");
    }
    Slot slot = new Slot(markets.get(0), List.copyOf(markets));
    slots.add(slot);
    return slot;
  }

  /** The launch moves on to {@code market} (spot to on-demand frees a spot place). */
  synchronized void trying(Slot slot, Market market) {
    slot.market = market;
  }

  synchronized void launched(Slot slot, String hostId) {
    slot.hostId = hostId;
    slot.launchedAt = clock.instant();
  }

  /** The launch failed or was cancelled before it got an instance. */
  synchronized void release(Slot slot) {
    slots.remove(slot);
  }

  /** The host was terminated: it no longer counts. */
  synchronized void forget(String hostId) {
    slots.removeIf(s -> hostId.equals(s.hostId));
  }
}
