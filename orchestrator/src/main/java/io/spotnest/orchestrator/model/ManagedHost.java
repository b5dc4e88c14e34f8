package io.spotnest.orchestrator.model;

import io.spotnest.orchestrator.lifecycle.HostPhase;
import java.time.Instant;
import java.util.Objects;

/**
 * A host as the orchestrator's model holds it.
 *
 * @param id provider id; null while launching (the launch key identifies it until then)
 * @param launchKey the caller key the launch was made with (idempotency token, tag on the host)
 * @param pool its pool
 * @param market spot or on-demand
 * @param capacityMiB memory it offers to agent VMs
 * @param phase where it is in its life
 * @param noticeDeadline the provider's reclamation deadline, or null
 * @param terminatedByUs whether we asked for its termination (so its end is not a reclamation)
 */
public record ManagedHost(
    String id,
    String launchKey,
    PoolKey pool,
    Market market,
    long capacityMiB,
    HostPhase phase,
    Instant noticeDeadline,
    boolean terminatedByUs) {
  public ManagedHost {
    Objects.requireNonNull(launchKey, "launchKey");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(market, "market");
    Objects.requireNonNull(phase, "phase");
    if (capacityMiB <= 0) {
      throw new IllegalArgumentException("capacityMiB must be positive, got " + capacityMiB);
    }
  }

  public ManagedHost to(HostPhase next) {
    return new ManagedHost(
        id, launchKey, pool, market, capacityMiB, phase.to(next), noticeDeadline, terminatedByUs);
  }

  public ManagedHost launched(String hostId) {
    return new ManagedHost(
        hostId,
        launchKey,
        pool,
        market,
        capacityMiB,
        phase.to(HostPhase.READY),
        noticeDeadline,
        terminatedByUs);
  }

  public ManagedHost noticed(Instant deadline) {
    return new ManagedHost(
        id, launchKey, pool, market, capacityMiB, phase, deadline, terminatedByUs);
  }

  public ManagedHost terminating() {
    return new ManagedHost(id, launchKey, pool, market, capacityMiB, phase, noticeDeadline, true);
  }

  public boolean live() {
    return phase != HostPhase.GONE;
  }
}
