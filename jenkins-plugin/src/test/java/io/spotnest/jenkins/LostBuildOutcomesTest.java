package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spotnest.testbed.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the admin page says Jenkins did about each loss: what the relay told for the agent, or
 * plainly that it is not known and why; and the memory stays bounded.
 */
class LostBuildOutcomesTest {
  private static final Instant START = Instant.parse("2026-12-03T10:00:00Z");
  private final MutableClock clock = new MutableClock(START);
  private final LostBuildOutcomes outcomes = new LostBuildOutcomes(clock, 3);

  private long now() {
    return clock.instant().toEpochMilli();
  }

  @Test
  void a_told_loss_says_what_jenkins_did_with_each_build_on_the_agent() {
    clock.advance(Duration.ofMinutes(1));
    long lostAt = now();
    outcomes.told(
        "nest-1",
        List.of(
            new BuildOutcome("folder/app#7", Requeue.newItem(42)),
            new BuildOutcome("lib#3", Requeue.joined(43)),
            new BuildOutcome("deploy#9", Requeue.refused("a queue decision handler vetoed it"))));
    outcomes.told("nest-2", List.of());

    assertEquals(
        "folder/app#7 rescheduled as queue item 42; lib#3 rescheduled as queue item 43, which was"
            + " already waiting with the same parameters; deploy#9: Jenkins refused to reschedule"
            + " it: a queue decision handler vetoed it",
        outcomes.describe("nest-1", lostAt));
    assertEquals("No build was running on it", outcomes.describe("nest-2", lostAt));
  }

  @Test
  void a_loss_told_again_adds_only_the_builds_it_did_not_tell_before() {
    outcomes.told("nest-1", List.of(new BuildOutcome("app#7", Requeue.newItem(42))));
    outcomes.told("nest-1", List.of());
    outcomes.told("nest-1", List.of(new BuildOutcome("app#8", Requeue.newItem(44))));

    assertEquals(
        "app#7 rescheduled as queue item 42; app#8 rescheduled as queue item 44",
        outcomes.describe("nest-1", now()));
  }

  /**
   * A loss journaled before this memory was made (the controller's start), or by an older
   * controller without its time, was never told to it: the page says so, and where to look.
   */
  @Test
  void a_loss_from_before_the_start_is_not_known_and_the_page_says_why() {
    long before = START.minusSeconds(60).toEpochMilli();

    assertEquals(
        "Not known: lost before Jenkins last started (the log of the build on it, if any, says"
            + " whether Jenkins rescheduled it)",
        outcomes.describe("nest-1", before));
    assertEquals(LostBuildOutcomes.NOT_KNOWN_BEFORE_START, outcomes.describe("nest-1", null));
  }

  @Test
  void a_loss_since_the_start_not_yet_told_says_so() {
    clock.advance(Duration.ofSeconds(5));

    assertEquals(
        "Not known yet: SpotNest has not told Jenkins of this loss",
        outcomes.describe("nest-1", now()));
  }

  /**
   * Only the last {@code kept} lost agents are remembered; an older one's outcome is forgotten and
   * the page says that it is no longer known, not that it never was.
   */
  @Test
  void only_the_last_kept_losses_are_remembered_and_a_forgotten_one_says_so() {
    long[] lostAt = new long[5];
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofMinutes(1));
      lostAt[i] = now();
      outcomes.told("nest-" + i, List.of(new BuildOutcome("app#" + i, Requeue.newItem(i))));
    }

    assertEquals(3, outcomes.size());
    assertEquals(
        "Not known any more: only the last 3 losses are remembered (the log of the build on it, if"
            + " any, says whether Jenkins rescheduled it)",
        outcomes.describe("nest-1", lostAt[1]));
    assertEquals(outcomes.describe("nest-1", lostAt[1]), outcomes.describe("nest-0", lostAt[0]));
    assertEquals("app#2 rescheduled as queue item 2", outcomes.describe("nest-2", lostAt[2]));
    assertEquals("app#4 rescheduled as queue item 4", outcomes.describe("nest-4", lostAt[4]));
    clock.advance(Duration.ofMinutes(1));
    assertEquals(LostBuildOutcomes.NOT_KNOWN_YET, outcomes.describe("nest-5", now()));
    for (int i = 5; i < 1000; i++) {
      outcomes.told("nest-" + i, List.of());
    }
    assertEquals(3, outcomes.size(), "a thousand losses later: still the last 3");
  }

  @Test
  void it_keeps_at_least_one() {
    assertThrows(IllegalArgumentException.class, () -> new LostBuildOutcomes(clock, 0));
  }
}
