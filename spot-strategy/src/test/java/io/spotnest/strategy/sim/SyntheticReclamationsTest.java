package io.spotnest.strategy.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.signal.PoolId;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticReclamationsTest {
  private static CapacityTrace alwaysUp() {
    int[] counts = new int[30 * 24 * 60];
    Arrays.fill(counts, 1);
    return new CapacityTrace("up", new PoolId("m5.large", "us-east-1a"), Instant.EPOCH, 60, counts);
  }

  @Test
  void seededAndDeterministic() {
    SyntheticReclamations g = new SyntheticReclamations();
    CapacityTrace a = g.generate(alwaysUp(), 0.3, 50, 7);
    CapacityTrace b = g.generate(alwaysUp(), 0.3, 50, 7);
    assertEquals(a, b);
    assertTrue(a.reclamationTicks().size() > 5);
  }

  @Test
  void rateFollowsBucketAndPricePressure() {
    SyntheticReclamations g = new SyntheticReclamations();
    int low = g.generate(alwaysUp(), 0.025, 20, 1).reclamationTicks().size();
    int high = g.generate(alwaysUp(), 0.3, 20, 1).reclamationTicks().size();
    int pressed = g.generate(alwaysUp(), 0.3, 200, 1).reclamationTicks().size();
    assertTrue(low < high && high < pressed, low + " " + high + " " + pressed);
  }
}
