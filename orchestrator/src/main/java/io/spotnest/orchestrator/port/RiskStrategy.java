package io.spotnest.orchestrator.port;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** The orchestrator's seam to the spot strategy: per-pool signals and spot hosts in, risk and decisions out. */
public interface RiskStrategy {

  /**
   * @param pools the signals of every spot pool we use, keyed by pool (zone id)
   * @param spotHosts every live spot host with its agents; a host's notice is on that host only
   */
  Assessment assess(Instant now, Collection<PoolSignals> pools, List<SpotHostView> spotHosts);
}
