package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MigrationPlannerTest {

  private static final long MIB = 1L << 20;
  private final MigrationPlanner planner = new MigrationPlanner(1.0, Duration.ZERO);

  private static MigrationInputs inputs(
      long ramMib, long dirtyMibS, long linkMibS, long diskMib, int deadlineS) {
    return new MigrationInputs(
        ramMib * MIB,
        dirtyMibS * MIB,
        linkMibS * MIB,
        diskMib * MIB,
        Duration.ofSeconds(deadlineS));
  }

  @Test
  void an_idle_guest_takes_one_pass_at_link_speed() {
    MigrationPlan p = planner.plan(inputs(1024, 0, 100, 0, 60), MigrationSettings.defaults());
    assertTrue(p.feasible(), p.toString());
    assertEquals(10.24, p.predictedTotal().toMillis() / 1000.0, 0.01);
    assertEquals(0, p.predictedDowntime().toMillis());
    assertEquals(1, p.predictedIterations());
  }

  @Test
  void a_moderate_dirty_rate_adds_passes_geometrically() {
    // r = 0.5: total = T0 * (1 + 0.5 + 0.25 + ...) until the rest fits in 300 ms
    MigrationPlan p = planner.plan(inputs(1000, 50, 100, 0, 60), MigrationSettings.defaults());
    assertTrue(p.feasible());
    assertTrue(
        p.predictedTotal().toMillis() > 10_000 && p.predictedTotal().toMillis() < 20_000,
        p.toString());
    assertTrue(p.predictedIterations() > 2, p.toString());
    assertTrue(p.predictedDowntime().toMillis() <= 300, p.toString());
  }

  @Test
  void written_disk_blocks_are_part_of_the_first_pass() {
    long without =
        planner
            .plan(inputs(512, 0, 100, 0, 60), MigrationSettings.defaults())
            .predictedTotal()
            .toMillis();
    long with =
        planner
            .plan(inputs(512, 0, 100, 500, 60), MigrationSettings.defaults())
            .predictedTotal()
            .toMillis();
    assertEquals(5000, with - without, 10);
  }

  @Test
  void a_guest_dirtying_faster_than_the_link_never_converges_without_help() {
    MigrationSettings plain = MigrationSettings.defaults().withAutoConverge(false);
    MigrationPlan p = planner.plan(inputs(256, 200, 100, 0, 600), plain);
    assertFalse(p.feasible());
    assertTrue(
        p.reason().contains("does not converge") && p.reason().contains("auto-converge"),
        p.reason());
  }

  @Test
  void auto_converge_or_post_copy_make_it_finish() {
    MigrationPlan ac = planner.plan(inputs(256, 200, 100, 0, 600), MigrationSettings.defaults());
    assertTrue(ac.feasible(), ac.toString());
    MigrationPlan pc =
        planner.plan(
            inputs(256, 200, 100, 0, 600),
            MigrationSettings.defaults()
                .withAutoConverge(false)
                .withPostCopy(PostCopyPolicy.after(Duration.ofSeconds(5))));
    assertTrue(pc.feasible() && pc.usesPostCopy(), pc.toString());
    assertTrue(pc.predictedTotal().compareTo(ac.predictedTotal()) < 0, pc + " vs " + ac);
  }

  @Test
  void the_deadline_decides_feasibility_and_the_reason_says_by_how_much() {
    MigrationPlan p =
        planner.plan(inputs(128 * 1024, 0, 1250, 0, 60), MigrationSettings.defaults());
    assertFalse(p.feasible());
    assertTrue(p.reason().contains("exceeds the deadline of 60.0 s"), p.reason());
  }

  @Test
  void a_bandwidth_cap_and_link_efficiency_slow_the_prediction() {
    MigrationPlan capped =
        planner.plan(
            inputs(1024, 0, 1000, 0, 600), MigrationSettings.defaults().withBandwidthMiBps(100));
    assertEquals(10.24, capped.predictedTotal().toMillis() / 1000.0, 0.01);
    MigrationPlan lossy =
        new MigrationPlanner(0.5, Duration.ofSeconds(1))
            .plan(inputs(1024, 0, 100, 0, 600), MigrationSettings.defaults());
    assertEquals(21.48, lossy.predictedTotal().toMillis() / 1000.0, 0.01);
  }
}
