package io.spotnest.hosts;

import java.util.List;

/** The seam between the orchestrator and wherever hosts come from (EC2, static machines over SSH, the testbed). */
public interface HostProvider {

    /** Launches (or attaches) one host; it may come from a fallback pool or market if the provider is so configured. */
    Host launch(HostRequest request);

    /** Every host this provider owns, with its current state. Never lists resources it does not own. */
    List<Host> list();

    /** Terminates (or releases) a host this provider owns; refuses any other id with {@link NotOwnedException}. */
    void terminate(String hostId);

    /**
     * Streams host events into {@code sink} until the returned handle is closed.
     * Events are deduplicated by id and acknowledged at their source only after {@code sink} returned.
     */
    AutoCloseable subscribe(HostEventSink sink);
}
