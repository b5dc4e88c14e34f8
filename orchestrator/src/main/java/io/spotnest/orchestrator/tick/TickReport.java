package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.port.MoveOrder;
import java.time.Instant;
import java.util.List;

/**
 * What one tick did.
 *
 * @param synced whether journal, cloud and hypervisors agreed (voluntary moves allowed)
 * @param forcedStarted forced evacuations started, in the order they were started
 * @param forcedWaiting forced evacuations still without destination or slot
 * @param voluntaryStarted voluntary moves started
 * @param ignored events ignored, each with the reason
 */
public record TickReport(
    Instant at,
    boolean synced,
    List<MoveOrder> forcedStarted,
    int forcedWaiting,
    List<MoveOrder> voluntaryStarted,
    int movesEnded,
    int hostsLaunched,
    int hostsRetired,
    List<String> ignored) {
  public TickReport {
    forcedStarted = List.copyOf(forcedStarted);
    voluntaryStarted = List.copyOf(voluntaryStarted);
    ignored = List.copyOf(ignored);
  }
}
