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
 * @param forcedLate forced evacuations that cannot finish by their deadline (the engine's estimate
 *     from now is past it, and no destination or slot was free in time), one line each naming the
 *     agent, its host, the deadline, the latest start and whether it was started anyway (with the
 *     slots left after every evacuation that can still make it) or left on its source
 * @param crossZoneCopies standing copies started on a backup in another zone than their source, one
 *     line each with what its transfer costs (billed both ways, issue 12 item 4)
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
    List<String> ignored,
    List<String> forcedLate,
    List<String> crossZoneCopies) {
  public TickReport {
    crossZoneCopies = List.copyOf(crossZoneCopies);
    forcedLate = List.copyOf(forcedLate);
    forcedStarted = List.copyOf(forcedStarted);
    voluntaryStarted = List.copyOf(voluntaryStarted);
    ignored = List.copyOf(ignored);
  }
}
