package io.spotnest.orchestrator.adapter.migration;

import io.spotnest.migration.MigrationOutcome;
import io.spotnest.orchestrator.port.MoveOrder;
import java.time.Instant;
import java.util.Objects;

/**
 * One move the mover ran to its end: the order, when it started, and the engine's outcome (time,
 * pause, bytes).
 */
public record MoveReport(MoveOrder order, Instant startedAt, MigrationOutcome outcome) {
  public MoveReport {
    Objects.requireNonNull(order, "order");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(outcome, "outcome");
  }
}
