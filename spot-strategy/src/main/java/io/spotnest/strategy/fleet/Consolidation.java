package io.spotnest.strategy.fleet;

import io.spotnest.strategy.policy.MigrationPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Merges the emptiest ready spot host into a fuller one of the same pool when the policy says both
 * are at most half used and the agents fit: the source is cordoned (it retires once empty) and its
 * agents move. One merge per call; hosts with a migration in or out are left alone. The simulator
 * runs exactly this code for ours and the oracle.
 */
public final class Consolidation {
  private final MigrationPolicy policy;

  public Consolidation(MigrationPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** The decisions of one merge, or none. */
  public List<FleetDecision> consolidateOnce(List<HostView> fleet, Instant now) {
    List<HostView> spot = new ArrayList<>();
    for (HostView h : fleet) {
      if (h.spot() && h.acceptsAgents() && h.ready(now) && !h.agents().isEmpty()) {
        spot.add(h);
      }
    }
    spot.sort(Comparator.comparingDouble(h -> h.usedGiB() / h.capacityGiB()));
    for (HostView source : spot) {
      if (source.inbound() || source.agents().stream().anyMatch(AgentView::migrating)) {
        continue;
      }
      for (int i = spot.size() - 1; i >= 0; i--) {
        HostView target = spot.get(i);
        if (target != source
            && target.pool().equals(source.pool())
            && policy.shouldConsolidate(
                source.usedGiB(), source.capacityGiB(), target.usedGiB(), target.capacityGiB())) {
          List<FleetDecision> out = new ArrayList<>();
          out.add(new FleetDecision.Cordon(source.id()));
          for (AgentView a : source.agents()) {
            out.add(new FleetDecision.Move(a.id(), source.id(), new Destination.Host(target.id())));
          }
          return out;
        }
      }
    }
    return List.of();
  }
}
