package io.spotnest.cli;

import io.spotnest.migration.FailureKind;
import io.spotnest.orchestrator.adapter.migration.MoveReport;
import java.util.Objects;

/**
 * One move of the demo as it ended, with what kind of move it was ({@code risk-driven}, {@code move
 * back to spot}, {@code forced by the notice}).
 */
record DemoMove(String kind, MoveReport report) {
  DemoMove {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(report, "report");
  }

  /** The VM now runs on the destination. */
  boolean migrated() {
    return report.outcome().success();
  }

  /**
   * The engine refused it up front (its plan could not make the deadline): nothing was copied and
   * the VM kept running on its source. Not a failed migration: no migration took place.
   */
  boolean refused() {
    return !migrated()
        && report
            .outcome()
            .failure()
            .filter(f -> f == FailureKind.PLAN_MISSES_DEADLINE)
            .isPresent();
  }
}
