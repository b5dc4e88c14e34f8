package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The link efficiency the planner uses is the one the last moves over that link achieved. */
class LinkCalibrationTest {

  private static final long MIB = 1L << 20;
  private static final MigrationPlanner PLANNER =
      new MigrationPlanner(0.75, Duration.ofMillis(500));

  /** A finished pre-copy move over a 10 MiB/s link that sent {@code sentMib} in {@code seconds}. */
  private static MigrationOutcome moved(long sentMib, double seconds, boolean postCopy) {
    MigrationInputs in =
        new MigrationInputs(256 * MIB, 0, 10 * MIB, 0, Duration.ofMinutes(5))
            .withNonZeroRam(128 * MIB);
    MigrationPlan plan = PLANNER.plan(in, MigrationSettings.defaults());
    return new MigrationOutcome(
        "vm",
        Optional.of("b"),
        true,
        Optional.empty(),
        "migrated",
        Duration.ofMillis((long) (seconds * 1000)),
        Duration.ofMillis(40),
        (sentMib - 4) * MIB,
        4 * MIB,
        3,
        postCopy,
        plan,
        Tuning.PRE_COPY,
        0);
  }

  @Test
  void a_link_is_as_efficient_as_the_last_move_over_it_measured() {
    LinkCalibration c = new LinkCalibration();
    assertEquals(Optional.empty(), c.efficiency("a", "b"));
    // 92 MiB in 10.5 s, of which 0.5 s set-up: 9.2 MiB/s of 10
    c.record("a", "b", moved(92, 10.5, false), PLANNER, Optional.empty());
    assertEquals(0.92, c.efficiency("a", "b").orElseThrow(), 0.005);
    assertEquals(Optional.empty(), c.efficiency("b", "a"), "each direction is its own link");
    assertEquals(0.92, c.planner(PLANNER, "a", "b").linkEfficiency(), 0.005);
    assertEquals(0.75, c.planner(PLANNER, "b", "a").linkEfficiency());
  }

  @Test
  void the_streams_own_rate_separates_the_links_efficiency_from_the_set_up() {
    LinkCalibration c = new LinkCalibration();
    // 92 MiB in 12 s with the stream running at 9.2 MiB/s: 10 s of sending, 2 s of set-up
    c.record("a", "b", moved(92, 12, false), PLANNER, Optional.of(9.2 * MIB));
    LinkFigures m = c.measured("a", "b").orElseThrow();
    assertEquals(0.92, m.efficiency(), 0.001);
    assertEquals(2000, m.setup().toMillis(), 5);
    MigrationPlanner p = c.planner(PLANNER, "a", "b");
    assertEquals(0.92, p.linkEfficiency(), 0.001);
    assertEquals(2000, p.setupTime().toMillis(), 5);
  }

  @Test
  void post_copy_failures_and_tiny_moves_teach_nothing_and_the_figure_stays_in_range() {
    LinkCalibration c = new LinkCalibration();
    c.record("a", "b", moved(92, 10.5, true), PLANNER, Optional.empty());
    c.record("a", "b", moved(1, 0.6, false), PLANNER, Optional.empty());
    assertEquals(Optional.empty(), c.efficiency("a", "b"));
    c.record("a", "b", moved(200, 10.5, false), PLANNER, Optional.empty());
    assertEquals(1.0, c.efficiency("a", "b").orElseThrow());
    c.record("a", "b", moved(10, 100.5, false), PLANNER, Optional.empty());
    assertTrue(c.efficiency("a", "b").orElseThrow() >= 0.05);
  }
}
