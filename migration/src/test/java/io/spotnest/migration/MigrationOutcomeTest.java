package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MigrationOutcomeTest {

  private static MigrationOutcome outcome(Optional<String> on, boolean success) {
    return new MigrationOutcome(
        "agent-1",
        on,
        success,
        success ? Optional.empty() : Optional.of(FailureKind.HOST_FAILED),
        success ? "" : "the source stopped answering",
        Duration.ofMillis(12_340),
        Duration.ofMillis(80),
        256L << 20,
        4L << 20,
        3,
        false,
        null,
        Tuning.PRE_COPY,
        0);
  }

  @Test
  void a_vm_running_on_no_host_is_said_to_run_on_no_host_not_to_have_stayed() {
    assertEquals(
        "agent-1 runs on no host after 12.34 s, pre-copy, downtime 80 ms, 256 MiB memory + 4 MiB"
            + " disk, 3 passes (HOST_FAILED: the source stopped answering)",
        outcome(Optional.empty(), false).toString());
  }

  @Test
  void a_failed_move_says_where_the_vm_stayed_and_a_move_where_it_went() {
    assertEquals(
        "agent-1 stayed on a in 12.34 s, pre-copy, downtime 80 ms, 256 MiB memory + 4 MiB disk,"
            + " 3 passes (HOST_FAILED: the source stopped answering)",
        outcome(Optional.of("a"), false).toString());
    assertEquals(
        "agent-1 migrated on b in 12.34 s, pre-copy, downtime 80 ms, 256 MiB memory + 4 MiB disk,"
            + " 3 passes",
        outcome(Optional.of("b"), true).toString());
  }
}
