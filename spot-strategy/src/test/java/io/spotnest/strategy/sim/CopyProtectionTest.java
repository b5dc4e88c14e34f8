package io.spotnest.strategy.sim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Issue 12 Part C: ours leaves an agent to its standing copy (no early evacuation, no notice move,
 * no burst drain) only when a notice now would find a copy to flush, as the orchestrator does
 * ({@code AgentView.copied}: a copy record exists only once the stream to a ready backup started).
 */
class CopyProtectionTest {
  private final TrueLengths lengths = new TrueLengths();

  @Test
  void anAgentWhoseBackupIsStillLaunchingIsNotProtectedYetAndOneSyncingToAReadyBackupIs() {
    Fleet fleet = new Fleet(SimConfig.DEFAULTS, 512, "us-east-1b", Double.NaN, p -> true);
    fleet.lengths = new BuildLengthEstimate(lengths);
    fleet.backupRatePerHour = 73.1;
    SimHost host = fleet.launchOnDemand(500, "us-east-1b", true);
    SimAgent waiting = fleet.start(lengths.add(new Build(0, 0, 120, 8, true)), host);
    SimAgent syncing = fleet.start(lengths.add(new Build(1, 0, 120, 8, true)), host);
    fleet.startCopy(waiting, fleet.launchBackup("us-east-1b", false));
    fleet.startCopy(syncing, fleet.launchBackup("us-east-1b", true));

    assertFalse(
        RiskAware.leftToCopy(fleet).test(FleetViews.agentId(waiting)),
        "its backup is still booting: a notice now would find no copy to flush");
    assertTrue(RiskAware.leftToCopy(fleet).test(FleetViews.agentId(syncing)));
  }
}
