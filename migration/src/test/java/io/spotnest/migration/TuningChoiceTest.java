package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 8 item 3: the tuning the engine chooses from the plan inputs, the time left and the
 * caller's permissions. Link efficiency 1 and no set-up time, so the figures can be checked by
 * hand: a 256 MiB guest over 32 MiB/s needs 8 s for its first pass.
 */
class TuningChoiceTest {

  static final MigrationPlanner PLANNER = new MigrationPlanner(1.0, Duration.ZERO);

  @ParameterizedTest(
      name = "{0} MiB, {1} MiB/s dirty, {2} MiB/s link, {3} s left, AC {4}, PC {5} -> {6}")
  @CsvSource({
    // ram, dirty, link, left s, auto-converge permitted, post-copy allowed, tuning, fits, switch at
    // ms (-1 none)
    // a light guest converges in pre-copy (8 s + 1 s + 0.125 s): nothing else is needed
    "256, 4, 32, 60, true, true, PRE_COPY, true, -1",
    "256, 0, 32, 60, false, false, PRE_COPY, true, -1",
    // a guest dirtying as fast as the link never converges in pre-copy: auto-converge when
    // permitted and in time
    "256, 32, 32, 60, true, false, AUTO_CONVERGE, true, -1",
    "256, 32, 32, 60, true, true, AUTO_CONVERGE, true, -1",
    // auto-converge too slow (or not permitted): post-copy after the first pass, 8 s, then 8 s of
    // pull
    "256, 32, 32, 20, true, true, POST_COPY, true, 8000",
    "256, 32, 32, 60, false, true, POST_COPY, true, 8000",
    "512, 64, 64, 20, false, true, POST_COPY, true, 8000",
    // nothing permitted fits: refused; the most capable permitted tuning is named for a caller that
    // tries anyway
    "256, 32, 32, 20, true, false, AUTO_CONVERGE, false, -1",
    "256, 32, 32, 60, false, false, PRE_COPY, false, -1",
    "256, 32, 32, 12, true, true, POST_COPY, false, 8000",
    // even the first pass misses the time left
    "256, 4, 32, 5, true, true, POST_COPY, false, 8000",
  })
  void chooses_the_least_intrusive_tuning_that_fits(
      long ramMib,
      long dirtyMibS,
      long linkMibS,
      long leftS,
      boolean autoConverge,
      boolean postCopy,
      Tuning expected,
      boolean fits,
      long switchMs) {
    MigrationInputs in =
        new MigrationInputs(
            ramMib << 20, dirtyMibS << 20, linkMibS << 20, 0, Duration.ofSeconds(leftS));
    MigrationSettings permitted =
        MigrationSettings.defaults()
            .withCopyStorage(false)
            .withAutoConverge(autoConverge)
            .withPostCopy(postCopy ? PostCopyPolicy.whenNeeded() : PostCopyPolicy.never());

    TuningChoice c = TuningChoice.choose(PLANNER, in, permitted);

    assertEquals(expected, c.tuning(), c.toString());
    assertEquals(fits, c.fits(), c.toString());
    assertEquals(fits, c.reason().isEmpty(), c.reason());
    assertEquals(
        switchMs < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(switchMs)),
        c.switchAt().map(d -> Duration.ofMillis(d.toMillis())),
        c.toString());
    MigrationSettings run = c.settings();
    assertEquals(
        expected == Tuning.AUTO_CONVERGE,
        run.autoConverge(),
        "auto-converge only when chosen: " + run);
    assertEquals(
        postCopy, run.postCopy().allowed(), "post-copy exactly when the caller allows it: " + run);
    if (fits) {
      assertTrue(c.plan().feasible(), c.plan().toString());
      assertTrue(c.plan().predictedTotal().compareTo(in.deadline()) <= 0, c.plan().toString());
      assertEquals(expected == Tuning.POST_COPY, c.plan().usesPostCopy(), c.plan().toString());
    }
  }

  @ParameterizedTest(name = "caller switch after {0} s")
  @CsvSource({"2, 8000", "3600, 8000"})
  void a_post_copy_switch_is_planned_after_the_first_pass_whatever_the_callers_upper_bound(
      long callerS, long switchMs) {
    MigrationInputs in =
        new MigrationInputs(256L << 20, 32L << 20, 32L << 20, 0, Duration.ofSeconds(20));
    MigrationSettings permitted =
        MigrationSettings.defaults()
            .withCopyStorage(false)
            .withAutoConverge(false)
            .withPostCopy(PostCopyPolicy.after(Duration.ofSeconds(callerS)));

    TuningChoice c = TuningChoice.choose(PLANNER, in, permitted);

    assertEquals(Tuning.POST_COPY, c.tuning(), c.toString());
    assertEquals(
        Duration.ofMillis(switchMs), Duration.ofMillis(c.switchAt().orElseThrow().toMillis()));
    assertTrue(
        c.settings().postCopy().switchAfter().compareTo(Duration.ofSeconds(callerS)) <= 0,
        "the caller's switch time is an upper bound: " + c.settings());
  }

  @ParameterizedTest(name = "refusal names {0}")
  @CsvSource({"pre-copy", "auto-converge", "post-copy"})
  void a_refusal_says_why_each_tuning_misses(String tuning) {
    MigrationInputs in =
        new MigrationInputs(256L << 20, 32L << 20, 32L << 20, 0, Duration.ofSeconds(5));
    MigrationSettings permitted =
        MigrationSettings.defaults()
            .withCopyStorage(false)
            .withPostCopy(PostCopyPolicy.whenNeeded());

    TuningChoice c = TuningChoice.choose(PLANNER, in, permitted);

    assertFalse(c.fits());
    assertTrue(c.reason().contains(tuning + ": "), c.reason());
  }
}
