package io.spotnest.strategy.sim;

import java.util.Comparator;
import java.util.List;

/**
 * Spot in the cheapest pool whose launches did not fail lately; on the interruption notice, migrate
 * the host's agents (smallest first) to any host with room in the region, launching an on-demand
 * host if none has room. No earlier action, no move back.
 */
final class SpotNoticeMigrate implements Strategy {
  @Override
  public String name() {
    return "spot + migrate on notice";
  }

  @Override
  public SpotPool choosePool(BuildRequest build, SimContext ctx) {
    return ctx.cheapestAvailable();
  }

  @Override
  public void onNotice(SimHost host, SimContext ctx) {
    host.cordoned = true;
    List<SimAgent> out =
        host.agents.stream().sorted(Comparator.comparingDouble(a -> a.build.ramGiB())).toList();
    for (SimAgent a : out) {
      ctx.fleet().evacuate(a, host.noticeDeadline(), true, h -> !h.notified, false);
    }
  }
}
