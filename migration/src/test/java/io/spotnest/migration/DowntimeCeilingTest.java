package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A raised downtime limit may take 80% of the time left; past that it comes down, to 1 ms. */
class DowntimeCeilingTest {

  final Instant deadline = Instant.parse("2026-12-02T10:00:00Z");

  @Test
  void a_limit_within_80_percent_of_the_time_left_stays() {
    DowntimeCeiling c = new DowntimeCeiling(Duration.ofSeconds(8), deadline);
    assertEquals(Optional.empty(), c.lowerAt(deadline.minusSeconds(10)));
  }

  @Test
  void a_limit_past_80_percent_comes_down_to_three_quarters_of_it_and_stays_until_passed_again() {
    DowntimeCeiling c = new DowntimeCeiling(Duration.ofSeconds(8), deadline);
    // 5 s left: 4 s allowed, so 3 s
    assertEquals(Optional.of(Duration.ofSeconds(3)), c.lowerAt(deadline.minusSeconds(5)));
    c.applied(Duration.ofSeconds(3));
    assertEquals(Optional.empty(), c.lowerAt(deadline.minusMillis(3750)));
    assertEquals(Optional.of(Duration.ofMillis(2100)), c.lowerAt(deadline.minusMillis(3500)));
  }

  @Test
  void at_or_past_the_deadline_the_limit_is_1_ms_and_stays_there() {
    DowntimeCeiling c = new DowntimeCeiling(Duration.ofSeconds(2), deadline);
    assertEquals(Optional.of(Duration.ofMillis(1)), c.lowerAt(deadline));
    assertEquals(Optional.of(Duration.ofMillis(1)), c.lowerAt(deadline.plusSeconds(1)));
    c.applied(Duration.ofMillis(1));
    assertEquals(Optional.empty(), c.lowerAt(deadline.plusSeconds(2)));
  }
}
