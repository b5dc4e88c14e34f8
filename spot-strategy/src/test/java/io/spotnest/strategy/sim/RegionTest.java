package io.spotnest.strategy.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 4: migrations stay in their region; between zones the traffic is counted and billed
 * both ways.
 */
class RegionTest {
  private final TrueLengths lengths = new TrueLengths();

  private static PoolMarket pool(String zone) {
    int[] counts = new int[24 * 60];
    Arrays.fill(counts, 1);
    return HandPool.of("hand-" + zone, zone, counts);
  }

  /**
   * Starts the build on on-demand (in the first pool's zone), then at minute 10 moves it to the
   * pool in a zone.
   */
  private static final class MoveTo implements Strategy {
    private final String zone;
    boolean moved;

    MoveTo(String zone) {
      this.zone = zone;
    }

    @Override
    public String name() {
      return "move to " + zone;
    }

    @Override
    public SpotPool choosePool(BuildRequest build, SimContext ctx) {
      return null;
    }

    @Override
    public void onTick(SimContext ctx) {
      if (moved || ctx.now() < 600 || ctx.fleet().agents.isEmpty()) {
        return;
      }
      SpotPool target =
          ctx.pools().stream().filter(p -> p.zone().equals(zone)).findFirst().orElseThrow();
      SimHost dest = ctx.fleet().launch(target, false);
      assertNotNull(dest);
      moved = true;
      ctx.fleet().migrate(ctx.fleet().agents.get(0), dest, -1, false);
    }
  }

  private static final List<PoolMarket> POOLS =
      List.of(pool("us-east-1b"), pool("us-east-1c"), pool("us-west-2a"));

  @Test
  void aCrossZoneMoveIsCountedAndPaidBothWaysAndAMoveWithinTheZoneIsFree() {
    Simulator sim = new Simulator(SimConfig.DEFAULTS, POOLS);
    Workload w = new Workload("one", List.of(new Build(0, 0, 120, 16)));
    SimResult cross = sim.run(new MoveTo("us-east-1c"), w);
    SimResult same = sim.run(new MoveTo("us-east-1b"), w);
    assertEquals(1, cross.migrations());
    assertEquals(1, same.migrations());
    assertEquals(0, same.crossZoneGiB());
    assertTrue(
        cross.crossZoneGiB() >= 16, "at least the agent's RAM crossed: " + cross.crossZoneGiB());
    assertEquals(cross.migratedGiB(), cross.crossZoneGiB(), 1e-9);
    assertEquals(same.migratedGiB(), cross.migratedGiB(), 1e-9);
    // $0.01/GB out + $0.01/GB in, in on-demand GiB-hours of r5.16xlarge ($4.032/h for 512 GiB)
    double perGiB = 2 * 0.01 * 1.073741824 / (4.032 / 512);
    assertEquals(cross.crossZoneGiB() * perGiB, cross.cost() - same.cost(), 1e-6);
  }

  @Test
  void aMoveAcrossRegionsIsRefused() {
    Simulator sim = new Simulator(SimConfig.DEFAULTS, POOLS);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                sim.run(
                    new MoveTo("us-west-2a"),
                    new Workload("one", List.of(new Build(0, 0, 120, 16)))));
    assertTrue(e.getMessage().contains("across regions"), e.getMessage());
  }

  @Test
  void aForcedEvacuationStaysInTheRegionAndPrefersTheZoneAVoluntaryOneStaysInTheZone() {
    Fleet fleet = new Fleet(SimConfig.DEFAULTS, 512, "us-east-1b", 1.0, p -> true);
    fleet.lengths = new BuildLengthEstimate(lengths);
    SimHost west = fleet.launchOnDemand(16, "us-west-2a", true);
    SimHost eastOther = fleet.launchOnDemand(16, "us-east-1c", true);
    SimHost source = fleet.launchOnDemand(64, "us-east-1b", true);
    SimAgent a = fleet.start(lengths.add(new Build(0, 0, 60, 16)), source);
    SimAgent b = fleet.start(lengths.add(new Build(1, 0, 60, 8)), source);
    SimAgent c = fleet.start(lengths.add(new Build(2, 0, 60, 8)), source);
    source.cordoned = true;
    fleet.evacuate(a, -1, false, h -> true, false);
    assertEquals(
        "us-east-1b", a.migration.to.zone, "a voluntary move launches in its zone rather than pay");
    fleet.evacuate(b, 100, true, h -> true, false);
    assertEquals(a.migration.to, b.migration.to, "its own zone first (no transfer)");
    SimHost full = a.migration.to;
    full.reservedGiB = full.capacityGiB;
    fleet.evacuate(c, 100, true, h -> true, false);
    assertEquals(
        eastOther,
        c.migration.to,
        "forced and no room in the zone: the region's ready host, not "
            + west.id
            + " in another region");
  }
}
