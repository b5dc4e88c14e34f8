package io.spotnest.strategy.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ParametricMigrationEstimatorTest {
  private final ParametricMigrationEstimator est =
      new ParametricMigrationEstimator(MigrationAssumptions.DEFAULTS);

  @Test
  void sixtyFourGibAtDefaultsTakesAboutEightySeconds() {
    // 10 Gbit/s x 0.8 = 953.7 MiB/s; minus 128 MiB/s dirty = 825.7 MiB/s; 65536 MiB / 825.7 = 79.4
    // s
    assertEquals(79.4, est.estimate(64, 1).toMillis() / 1000.0, 0.2);
    assertEquals(0.8, MigrationAssumptions.DEFAULTS.efficiency());
  }

  @Test
  void sharingTheLinkIsSlowerThanHalfSpeed() {
    Duration alone = est.estimate(32, 1);
    Duration shared = est.estimate(32, 2);
    assertTrue(shared.toMillis() > 2 * alone.toMillis());
    assertEquals(ParametricMigrationEstimator.NEVER, est.estimate(32, 8));
  }

  @Test
  void rejectsBadInputs() {
    assertThrows(IllegalArgumentException.class, () -> est.estimate(0, 1));
    assertThrows(IllegalArgumentException.class, () -> est.estimate(8, 0));
    assertThrows(IllegalArgumentException.class, () -> new MigrationAssumptions(10, 1.2, 100));
    assertThrows(IllegalArgumentException.class, () -> new MigrationAssumptions(1, 0.8, 200));
  }
}
