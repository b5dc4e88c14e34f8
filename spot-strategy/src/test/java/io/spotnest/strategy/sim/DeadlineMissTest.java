package io.spotnest.strategy.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * {@code deadline_misses} counts moves with a deadline (notice moves, early evacuations) whose
 * source was reclaimed before they finished; a voluntary move (back to spot, consolidation) has no
 * deadline to miss, though the build it carried is restarted all the same.
 */
class DeadlineMissTest {
  private final TrueLengths lengths = new TrueLengths();

  @Test
  void aVoluntaryMoveCutByItsSourcesReclamationIsNoDeadlineMiss() {
    assertEquals(0, missesWhenTheSourceGoesDuring(-1, false));
  }

  @Test
  void aMoveWithADeadlineCutByItsSourcesReclamationIsOne() {
    assertEquals(1, missesWhenTheSourceGoesDuring(120, false));
    assertEquals(1, missesWhenTheSourceGoesDuring(120, true));
  }

  private int missesWhenTheSourceGoesDuring(long deadline, boolean forced) {
    Fleet fleet = new Fleet(SimConfig.DEFAULTS, 512, "us-east-1b", Double.NaN, p -> true);
    fleet.lengths = new BuildLengthEstimate(lengths);
    SimHost source = fleet.launchOnDemand(500, "us-east-1b", true);
    SimHost destination = fleet.launchOnDemand(500, "us-east-1b", true);
    SimAgent agent = fleet.start(lengths.add(new Build(1, 0, 120, 64)), source);
    agent.progressSeconds = 600;
    fleet.migrate(agent, destination, deadline, forced);
    Simulator.Tally tally = new Simulator.Tally();
    tally.scored = true;
    Simulator.reclaim(fleet, source, tally);
    assertEquals(1, tally.restarted.size(), "the build on the reclaimed source is restarted");
    return tally.deadlineMisses;
  }
}
