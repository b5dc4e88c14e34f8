package io.spotnest.orchestrator.testing;

import io.spotnest.hosts.AsyncLaunch;
import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostCapacity;
import io.spotnest.hosts.HostEventSink;
import io.spotnest.hosts.HostLaunch;
import io.spotnest.hosts.HostLaunchException;
import io.spotnest.hosts.HostProvider;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.HostState;
import io.spotnest.hosts.NotOwnedException;
import io.spotnest.orchestrator.journal.JournalRecord;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@code hosts} provider in memory that behaves as EC2 does for a controller's restart: launches
 * are idempotent by key across controllers (the same key gives the same instance, and one whose
 * instance is gone since fails), every host carries its launch key, a launch completes at once
 * (running, or pending until {@link #run}). A termination not announced in the journal is recorded
 * as a violation.
 */
public final class FakeHostProvider implements HostProvider {
  private final Map<String, Host> hosts = new LinkedHashMap<>();
  private final Map<String, String> idByKey = new LinkedHashMap<>();
  private final List<String> terminated = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final Supplier<List<JournalRecord>> journal;
  private boolean pending;

  /**
   * @param journal terminations are checked against it
   */
  public FakeHostProvider(Supplier<List<JournalRecord>> journal) {
    this.journal = journal;
  }

  /** New hosts start pending (not yet running) until {@link #run} when true. */
  public synchronized void launchPending(boolean p) {
    pending = p;
  }

  /** The host is running now. */
  public synchronized void run(String hostId) {
    hosts.put(hostId, hosts.get(hostId).withState(HostState.RUNNING));
  }

  @Override
  public HostLaunch start(HostRequest request) {
    return AsyncLaunch.start(request.key(), Runnable::run, l -> launch(request), (l, h) -> {});
  }

  @Override
  public synchronized Host launch(HostRequest r) {
    String known = idByKey.get(r.key());
    if (known != null) {
      Host h = hosts.get(known);
      if (h == null) {
        throw new HostLaunchException(
            "launch key " + r.key() + " was used before for " + known + ", which is terminated");
      }
      return h;
    }
    String id = "h" + (idByKey.size() + 1);
    Host h =
        new Host(
            id,
            r.pool(),
            r.market(),
            pending ? HostState.PENDING : HostState.RUNNING,
            URI.create("qemu+tls://" + id + "/system"),
            URI.create("qemu+tls://" + id + "/system"),
            Optional.empty(),
            new HostCapacity(4, Rig.HOST_MIB, 10),
            r.pool().zone(),
            Optional.empty(),
            States.T0,
            Optional.of(r.key()));
    idByKey.put(r.key(), id);
    hosts.put(id, h);
    return h;
  }

  /** How many hosts launches made. */
  public synchronized int launched() {
    return idByKey.size();
  }

  @Override
  public synchronized List<Host> list() {
    return List.copyOf(hosts.values());
  }

  @Override
  public synchronized void terminate(String hostId) {
    if (journal.get().stream()
        .noneMatch(
            x ->
                x instanceof JournalRecord.HostTerminationRequested t
                    && t.hostId().equals(hostId))) {
      violations.add("terminate " + hostId + " without a journal record");
    }
    if (hosts.remove(hostId) == null) {
      throw new NotOwnedException(hostId, "not a live host of ours");
    }
    terminated.add(hostId);
  }

  /** Hosts terminated, in order. */
  public synchronized List<String> terminated() {
    return List.copyOf(terminated);
  }

  public synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  @Override
  public AutoCloseable subscribe(HostEventSink sink) {
    return () -> {};
  }
}
