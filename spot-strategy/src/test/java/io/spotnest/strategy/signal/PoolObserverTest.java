package io.spotnest.strategy.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PoolObserverTest {
  private static final PoolId POOL = new PoolId("m5.large", "eu-west-1a");
  private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");

  @Test
  void refusesSignalsOutOfOrderAndSnapshotsBeforeTheLatestSignal() {
    PoolObserver o = new PoolObserver(POOL);
    o.accept(new Reclamation(POOL, T.plusSeconds(60)));
    assertThrows(IllegalArgumentException.class, () -> o.accept(new Reclamation(POOL, T)));
    assertThrows(IllegalStateException.class, () -> o.snapshot(T));
    assertThrows(
        IllegalArgumentException.class,
        () -> o.accept(new Reclamation(new PoolId("m5.large", "x"), T)));
  }

  @Test
  void snapshotCountsRecentReclamationsAndAge() {
    PoolObserver o = new PoolObserver(POOL);
    o.accept(new HostAge(POOL, T, "h", Duration.ZERO));
    o.accept(new Reclamation(POOL, T.plusSeconds(600)));
    o.accept(new Reclamation(POOL, T.plusSeconds(900)));
    PoolSnapshot s = o.snapshot(T.plusSeconds(1200));
    assertEquals(2, s.observedReclamations());
    assertEquals(1, s.recentCount(Duration.ofMinutes(10)).count());
    assertEquals(Duration.ofMinutes(20), s.hostAge().orElseThrow());
    o.down(T.plusSeconds(1300));
    assertTrue(o.snapshot(T.plusSeconds(1300)).hostAge().isEmpty());
  }

  @Test
  void snapshotRejectsFutureData() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new PoolSnapshot(
                POOL,
                T,
                Optional.empty(),
                OptionalDouble.empty(),
                OptionalDouble.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(T.plusSeconds(1)),
                1,
                Duration.ZERO,
                Optional.empty(),
                Optional.empty()));
  }

  @Test
  void signalsValidateTheirFields() {
    assertThrows(IllegalArgumentException.class, () -> new InterruptionFrequency(POOL, T, 5));
    assertThrows(IllegalArgumentException.class, () -> new SpotPrice(POOL, T, -1));
    assertThrows(IllegalArgumentException.class, () -> new CapacityScore(POOL, T, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new InterruptionNotice(POOL, T, "h", T.minusSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new PoolId(" ", "z"));
  }
}
