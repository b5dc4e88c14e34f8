package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.migration.FailureKind;
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
        new MigrationInputs(256L << 20, 36L << 20, 25_000_000, 0, Duration.ofMillis(25_540))
            .withNonZeroRam(132L << 20)
            .withWorkingSet(126L << 20);
    MigrationOutcome out = postCopyMoveOf(in);

    assertEquals(
        "planned from dirty 36.0 MiB/s, working set 126 MiB, non-zero RAM 132 MiB,"
            + " vCPU busy 100.0 %, 25.5 s left",
        BenchCommand.Migration.plannedFrom(out));
  }

  @Test
  void a_case_without_a_working_set_says_what_the_guest_was_seen_to_change_and_its_vcpu_share() {
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
            Duration.ofSeconds(3),
            0.052);
    MigrationOutcome out = postCopyMoveOf(in);

    assertEquals(
        "planned from dirty 38.0 MiB/s, working set not measured, changed 64 MiB in 3 s,"
            + " non-zero RAM 134 MiB, vCPU busy 5.2 %, 11.4 s left",
        BenchCommand.Migration.plannedFrom(out));
  }

  @Test
  void the_contract_line_carries_the_pause_the_build_saw() {
    MigrationOutcome out = preCopyMove(Optional.empty(), "migrated");

    String line =
        new BenchCommand.Migration.Case(256, 32, "engine choice", out, 10_737, 266).line();

    assertEquals(
        "migration: ram_mib=256 dirty_mib_s=32 total_ms=12000 downtime_ms=175 pause_ms=266 bound_ms=10737 "
            + "ratio=1.12 tuning=pre-copy planned_ms="
            + out.plan().predictedTotal().toMillis(),
        line);
  }

  @Test
  void a_failed_case_says_its_failure_and_why_on_one_line_without_double_quotes() {
    MigrationOutcome out =
        preCopyMove(
            Optional.of(FailureKind.PLAN_MISSES_DEADLINE),
            "aborted: \"deadline\" passed\nat pass 4");

    String line =
        new BenchCommand.Migration.Case(256, 32, "plain pre-copy", out, 10_737, -1).line();

    assertTrue(
        line.endsWith(
            " planned_ms="
                + out.plan().predictedTotal().toMillis()
                + " failed=PLAN_MISSES_DEADLINE why=\"aborted: 'deadline' passed at pass 4\""),
        line);
  }

  /**
   * A 12 s pre-copy move of a 256 MiB guest dirtying 32 MiB/s, 175 ms of downtime, that moved
   * ({@code failure} empty) or kept the guest on its source.
   */
  private static MigrationOutcome preCopyMove(Optional<FailureKind> failure, String message) {
    return new MigrationOutcome(
        "bench-s",
        Optional.of(failure.isEmpty() ? "hostb" : "hosta"),
        failure.isEmpty(),
        failure,
        message,
        Duration.ofMillis(12_000),
        Duration.ofMillis(175),
        300L << 20,
        4L << 20,
        4,
        false,
        new MigrationPlanner(0.75, Duration.ofMillis(500))
            .plan(
                new MigrationInputs(256L << 20, 32L << 20, 25_000_000, 0, Duration.ofSeconds(60)),
                MigrationSettings.defaults()),
        Tuning.PRE_COPY,
        0);
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
        Tuning.POST_COPY,
        0);
  }

  private static BenchCommand.StandingCopy.StandbySet set(int n, long flushMs) {
    return new BenchCommand.StandingCopy.StandbySet(n, flushMs, 1.5, n, 0, n, "");
  }

  @Test
  void standbys_per_backup_is_the_largest_set_flushed_within_30_s() {
    assertEquals(
        "standbys_per_backup=2",
        BenchCommand.StandingCopy.capacity(
            java.util.List.of(set(1, 4_000), set(2, 29_999), set(3, 30_001)), 8, "cores_8"));
    assertEquals(
        "standbys_per_backup=0",
        BenchCommand.StandingCopy.capacity(java.util.List.of(set(1, 31_000)), 8, "cores_8"));
    assertEquals(
        "standbys_per_backup=1",
        BenchCommand.StandingCopy.capacity(
            java.util.List.of(
                set(1, 5_000), new BenchCommand.StandingCopy.StandbySet(2, 9_000, 1, 1, 0, 1, "x")),
            8,
            "cores_8"));
  }

  @Test
  void a_set_whose_unmoved_vms_were_refused_and_each_runs_on_one_host_says_refused() {
    assertEquals("ok", set(2, 9_000).result());
    assertEquals("over_30_s", set(2, 31_000).result());
    // 3 moved, 1 refused up front and kept on its source, all 4 on exactly one host
    assertEquals(
        "refused", new BenchCommand.StandingCopy.StandbySet(4, 20_000, 1, 3, 1, 4, "x").result());
    // the one not moved is on no host, or on two: failed
    assertEquals(
        "failed", new BenchCommand.StandingCopy.StandbySet(4, 29_000, 1, 3, 1, 3, "x").result());
    // not refused (aborted at its deadline)
    assertEquals(
        "failed", new BenchCommand.StandingCopy.StandbySet(4, 29_000, 1, 3, 0, 4, "x").result());
    assertEquals(
        "standbys_per_backup=3",
        BenchCommand.StandingCopy.capacity(
            java.util.List.of(
                set(1, 2_000),
                set(2, 13_000),
                set(3, 24_000),
                new BenchCommand.StandingCopy.StandbySet(4, 20_000, 1, 3, 1, 4, "x")),
            4,
            "max_standbys_option_4"));
  }

  @Test
  void a_series_stopped_by_the_machine_says_at_least_and_why() {
    assertEquals(
        "standbys_per_backup>=2 limit=cores_2",
        BenchCommand.StandingCopy.capacity(
            java.util.List.of(set(1, 4_000), set(2, 9_000)), 2, "cores_2"));
    assertEquals(
        "standbys_per_backup>=1 limit=guests_stalled_at_2_source_guests",
        BenchCommand.StandingCopy.capacity(
            java.util.List.of(
                set(1, 4_000), new BenchCommand.StandingCopy.StandbySet(2, 9_000, 0, 2, 0, 2, "")),
            8,
            "cores_8"));
  }

  @Test
  void the_cost_of_file_backing_is_one_file_standbys_flush_over_one_in_ram() {
    assertEquals(
        "standing-copy-file-cost: dirty_mib_s=4 ram_flush_ms=2000 file_flush_ms=3000"
            + " file_vs_ram_flush=1.50 standbys_per_backup=1",
        BenchCommand.StandingCopy.costLine(
            2000, java.util.List.of(set(1, 3000)), 4, "standbys_per_backup=1"));
    assertEquals(
        "standing-copy-file-cost: dirty_mib_s=4 ram_flush_ms=n/a file_flush_ms=3000"
            + " file_vs_ram_flush=n/a standbys_per_backup=1",
        BenchCommand.StandingCopy.costLine(
            -1, java.util.List.of(set(1, 3000)), 4, "standbys_per_backup=1"));
  }
}
