package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotnest.migration.MigrationInputs;
import io.spotnest.migration.MigrationOutcome;
import io.spotnest.migration.MigrationPlanner;
import io.spotnest.migration.MigrationSettings;
import io.spotnest.migration.Tuning;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BenchContractLineTest {

  @Test
  void each_case_says_what_its_plan_was_computed_from() {
    MigrationInputs in =
        new MigrationInputs(
            256L << 20,
            36L << 20,
            25_000_000,
            0,
            Duration.ofMillis(25_540),
            132L << 20,
            126L << 20);
    MigrationOutcome out = postCopyMoveOf(in);

    assertEquals(
        "planned from dirty 36.0 MiB/s, working set 126 MiB, non-zero RAM 132 MiB, 25.5 s left",
        BenchCommand.Migration.plannedFrom(out));
  }

  @Test
  void a_case_without_a_working_set_says_what_the_guest_was_seen_to_change() {
    MigrationInputs in =
        new MigrationInputs(
            256L << 20,
            38L << 20,
            25_000_000,
            0,
            Duration.ofMillis(11_400),
            134L << 20,
            256L << 20,
            64L << 20,
            Duration.ofSeconds(3));
    MigrationOutcome out = postCopyMoveOf(in);

    assertEquals(
        "planned from dirty 38.0 MiB/s, working set not measured, changed 64 MiB in 3 s,"
            + " non-zero RAM 134 MiB, 11.4 s left",
        BenchCommand.Migration.plannedFrom(out));
  }

  @Test
  void the_contract_line_carries_the_pause_the_build_saw() {
    MigrationSettings s = MigrationSettings.defaults();
    MigrationOutcome out =
        new MigrationOutcome(
            "bench-s",
            Optional.of("hostb"),
            true,
            Optional.empty(),
            "migrated",
            Duration.ofMillis(12_000),
            Duration.ofMillis(175),
            300L << 20,
            4L << 20,
            4,
            false,
            new MigrationPlanner(0.75, Duration.ofMillis(500))
                .plan(
                    new MigrationInputs(
                        256L << 20, 32L << 20, 25_000_000, 0, Duration.ofSeconds(60)),
                    s),
            Tuning.PRE_COPY);

    String line =
        new BenchCommand.Migration.Case(256, 32, "engine choice", out, 10_737, 266).line();

    assertEquals(
        "migration: ram_mib=256 dirty_mib_s=32 total_ms=12000 downtime_ms=175 pause_ms=266 bound_ms=10737 "
            + "ratio=1.12 tuning=pre-copy planned_ms="
            + out.plan().predictedTotal().toMillis(),
        line);
  }

  /** A post-copy move of the bench's summary guest planned from {@code in}. */
  private static MigrationOutcome postCopyMoveOf(MigrationInputs in) {
    return new MigrationOutcome(
        "bench-s",
        Optional.of("hostb"),
        true,
        Optional.empty(),
        "migrated",
        Duration.ofMillis(11_000),
        Duration.ZERO,
        194L << 20,
        4L << 20,
        3,
        true,
        new MigrationPlanner(0.9, Duration.ofSeconds(3)).plan(in, MigrationSettings.defaults()),
        Tuning.POST_COPY);
  }
}
