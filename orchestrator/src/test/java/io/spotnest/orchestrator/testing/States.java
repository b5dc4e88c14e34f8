package io.spotnest.orchestrator.testing;

import io.spotnest.orchestrator.journal.JournalRecord.AgentPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPlaced;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.journal.JournalRecord.HostLaunchRequested;
import io.spotnest.orchestrator.journal.JournalRecord.HostLaunched;
import io.spotnest.orchestrator.journal.JournalRecord.HostPhaseChanged;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import java.time.Duration;
import java.time.Instant;

/** Builds a {@link FleetState} by applying journal records, as replay would. */
public final class States {
  public static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  public static final PoolKey SPOT_A = new PoolKey("c8i.2xlarge", "use1-az1");
  public static final PoolKey SPOT_B = new PoolKey("c8i.2xlarge", "use1-az2");
  public static final PoolKey OD = new PoolKey("c8i.2xlarge", "use1-az3");

  private final FleetState state = new FleetState();

  public FleetState state() {
    return state;
  }

  public States host(String id, PoolKey pool, Market market, long capacityMiB) {
    state.apply(new HostLaunchRequested("k-" + id, pool, market, capacityMiB, T0));
    state.apply(new HostLaunched("k-" + id, id));
    return this;
  }

  public States hostPhase(String id, HostPhase phase) {
    state.apply(new HostPhaseChanged(id, phase, "test"));
    return this;
  }

  /** An agent online (or busy) on a host. */
  public States agent(String id, long ramMiB, String hostId, boolean busy) {
    state.apply(new AgentRequested(id, ramMiB, Duration.ofHours(1), null));
    state.apply(new AgentPlaced(id, hostId));
    state.apply(new AgentPhaseChanged(id, AgentPhase.BOOTING, T0, "test"));
    state.apply(new AgentPhaseChanged(id, AgentPhase.ONLINE, T0, "test"));
    if (busy) {
      state.apply(new AgentPhaseChanged(id, AgentPhase.BUSY, T0, "test"));
    }
    return this;
  }
}
