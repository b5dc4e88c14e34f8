package io.spotnest.hosts;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The seam between the orchestrator and wherever hosts come from (EC2, static machines over SSH,
 * the testbed).
 */
public interface HostProvider {

  /**
   * Starts launching (or attaching) one host and returns at once. The host may come from a fallback
   * pool or market if the provider is so configured. Providers that can make it so (EC2) treat
   * {@link HostRequest#key()} as an idempotency key: the same key gives the same launch and never a
   * second host. The default runs {@link #launch(HostRequest)} on its own thread, and cancelling
   * terminates the host it returns.
   */
  default HostLaunch start(HostRequest request) {
    return AsyncLaunch.start(
        request.key(),
        AsyncLaunch.threadPerLaunch(),
        launch -> launch(request),
        (launch, host) -> {
          if (host != null) {
            terminate(host.id());
          }
        });
  }

  /**
   * Launches (or attaches) one host and waits for it: the blocking form of {@link
   * #start(HostRequest)}.
   */
  Host launch(HostRequest request);

  /**
   * Every host this provider owns, with its current state. Never lists resources it does not own.
   */
  List<Host> list();

  /**
   * Terminates (or releases) a host this provider owns; refuses any other id with {@link
   * NotOwnedException}.
   */
  void terminate(String hostId);

  /**
   * Hosts this provider owns that are not gone and not in {@code recordedHostIds} (the caller's
   * journal), leaving out launches still in progress. Lists only; nothing is terminated.
   */
  default List<Host> orphans(Collection<String> recordedHostIds) {
    Set<String> recorded = Set.copyOf(recordedHostIds);
    return list().stream()
        .filter(h -> h.state() != HostState.TERMINATED && h.state() != HostState.TERMINATING)
        .filter(h -> !recorded.contains(h.id()))
        .toList();
  }

  /**
   * Terminates every host {@link #orphans} reports, and returns them. An explicit call: nothing
   * does it on its own.
   */
  default List<Host> terminateOrphans(Collection<String> recordedHostIds) {
    List<Host> orphans = orphans(recordedHostIds);
    orphans.forEach(h -> terminate(h.id()));
    return orphans;
  }

  /**
   * Streams host events into {@code sink} until the returned handle is closed. Events are
   * deduplicated by id and acknowledged at their source only after {@code sink} returned.
   */
  AutoCloseable subscribe(HostEventSink sink);
}
