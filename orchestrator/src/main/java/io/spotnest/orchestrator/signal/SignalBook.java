package io.spotnest.orchestrator.signal;

import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.port.PoolSignals;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Per-pool signals (keyed by zone id) gathered from host events and market data. A reclamation
 * counts once per host, whichever sources reported it; a rebalance recommendation is remembered per
 * host and per pool.
 */
public final class SignalBook {
  /** How long reclamations and rebalance recommendations stay relevant. */
  public static final Duration LOOK_BACK = Duration.ofHours(24);

  private final Map<PoolKey, MarketQuote> quotes = new HashMap<>();
  private final Map<PoolKey, List<Instant>> reclamations = new HashMap<>();
  private final Set<String> reclaimedHosts = new HashSet<>();
  private final Map<PoolKey, Instant> poolRebalance = new HashMap<>();
  private final Map<String, Instant> hostRebalance = new HashMap<>();

  public void quote(MarketQuote q) {
    MarketQuote old = quotes.get(q.pool());
    if (old == null || !q.at().isBefore(old.at())) {
      quotes.put(q.pool(), q);
    }
  }

  /**
   * Records that host {@code hostId} of {@code pool} is being reclaimed; false if it was already
   * counted.
   */
  public boolean reclaimed(PoolKey pool, String hostId, Instant at) {
    if (!reclaimedHosts.add(hostId)) {
      return false;
    }
    List<Instant> list = reclamations.computeIfAbsent(pool, p -> new ArrayList<>());
    list.add(at);
    list.sort(null);
    return true;
  }

  public void rebalance(PoolKey pool, String hostId, Instant at) {
    poolRebalance.merge(pool, at, (a, b) -> a.isAfter(b) ? a : b);
    hostRebalance.merge(hostId, at, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** When the host last got a rebalance recommendation. */
  public Optional<Instant> rebalanceOf(String hostId) {
    return Optional.ofNullable(hostRebalance.get(hostId));
  }

  /** The signals of each of {@code pools} at {@code now}. */
  public List<PoolSignals> signals(Collection<PoolKey> pools, Instant now) {
    Instant from = now.minus(LOOK_BACK);
    List<PoolSignals> out = new ArrayList<>();
    for (PoolKey p : pools) {
      List<Instant> recent =
          reclamations.getOrDefault(p, List.of()).stream()
              .filter(t -> t.isAfter(from) && !t.isAfter(now))
              .toList();
      Optional<Instant> rebalance =
          Optional.ofNullable(poolRebalance.get(p)).filter(t -> t.isAfter(from));
      out.add(new PoolSignals(p, Optional.ofNullable(quotes.get(p)), recent, rebalance));
    }
    return out;
  }
}
