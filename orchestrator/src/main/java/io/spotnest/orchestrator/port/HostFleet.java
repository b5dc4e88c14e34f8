package io.spotnest.orchestrator.port;

import java.util.List;

/**
 * The orchestrator's seam to wherever hosts come from (EC2, static machines, the testbed).
 * Implementations adapt a {@code hosts} provider; tests use an in-memory fake.
 */
public interface HostFleet {

  /**
   * Asks for a host, idempotently: calling again with the same {@code launchKey} never yields a
   * second host. Returns at once; the host shows up in {@link #list()} (carrying the key) when it
   * runs.
   */
  void launch(String launchKey, HostOrder order);

  /**
   * Launches that failed for good since they were asked for (each reported until its key is
   * launched again or forgotten by the implementation; callers ignore keys they no longer wait
   * for).
   */
  default List<FailedLaunch> failedLaunches() {
    return List.of();
  }

  /** Every host of ours (tagged with our cluster) that still exists, with its launch key. */
  List<ObservedHost> list();

  /** Terminates one of our hosts; terminating a host already gone is a no-op. */
  void terminate(String hostId);

  /** Host events not yet acknowledged, in any order, possibly duplicated across sources. */
  List<FleetEvent> poll();

  /** The event's effect is durable (or it was ignored): its source may forget it. */
  void acknowledge(FleetEvent event);
}
