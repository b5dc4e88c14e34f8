package io.spotnest.orchestrator.tick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RemovalBackoffTest {

  @Test
  void thePauseDoublesWithEachFailureUpToItsBound() {
    RemovalBackoff b = RemovalBackoff.DEFAULT;

    assertEquals(Duration.ofSeconds(10), b.after(1));
    assertEquals(Duration.ofSeconds(20), b.after(2));
    assertEquals(Duration.ofSeconds(160), b.after(5));
    assertEquals(Duration.ofMinutes(5), b.after(6), "320 s is past the bound");
    assertEquals(Duration.ofMinutes(5), b.after(Integer.MAX_VALUE), "no overflow, ever");
  }

  @Test
  void aBackoffThatWouldNotWaitOrShrinksIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new RemovalBackoff(Duration.ZERO, Duration.ofMinutes(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RemovalBackoff(Duration.ofMinutes(2), Duration.ofMinutes(1)));
    assertThrows(IllegalArgumentException.class, () -> RemovalBackoff.DEFAULT.after(0));
  }
}
