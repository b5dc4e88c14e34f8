package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.testing.Rig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A restart reads the hypervisors' inventory once for all agents, not host by host for each agent:
 * with a fleet of hosts behind SSH tunnels, each read is a connection to every host.
 */
class RestartInventoryTest {
  private final Rig rig = new Rig();

  @Test
  void aRestartLocatesEveryAgentAndClearsTheirStandbysInOneReadEach() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    for (int i = 0; i < 3; i++) {
      rig.agent(spot, 2048, true);
      rig.agent(od, 1024, false);
    }
    rig.world.inventoryReads.clear();

    rig.start();

    assertEquals(List.of("locateAll 6", "clearStandbys 6"), rig.world.inventoryReads);
  }
}
