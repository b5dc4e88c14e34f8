package io.spotnest.cli;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostEvent;
import io.spotnest.hosts.HostEventSink;
import io.spotnest.hosts.HostProvider;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.testbed.TestbedHostProvider;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The testbed's hosts with a fresh id for every lease, as on EC2, where an instance id is never
 * used twice: a testbed host released by the orchestrator and leased again (say the spot host a
 * risk-driven move emptied, launched again in a calm pool for the move back) is a new host, {@code
 * hosta-2}, not the old {@code hosta} coming back. The first lease of a host keeps its plain name.
 */
final class FreshLeaseIds implements HostProvider {
  private static final Pattern LATER_LEASE = Pattern.compile("(.+)-(\\d+)");

  private final HostProvider testbed;
  private final BiConsumer<String, Duration> interrupt;
  private final Consumer<String> reclaim;
  private final Map<String, String> idByLaunchKey = new HashMap<>();
  private final Map<String, String> currentIdByName = new HashMap<>();
  private final Map<String, Integer> leasesByName = new HashMap<>();

  /**
   * @param testbed leases hosts under their own (reused) names
   * @param interrupt sends a leased host (by name) its interruption notice
   * @param reclaim takes a leased host (by name) away
   */
  FreshLeaseIds(
      HostProvider testbed, BiConsumer<String, Duration> interrupt, Consumer<String> reclaim) {
    this.testbed = testbed;
    this.interrupt = interrupt;
    this.reclaim = reclaim;
  }

  static FreshLeaseIds of(TestbedHostProvider testbed) {
    return new FreshLeaseIds(testbed, testbed::interrupt, testbed::reclaim);
  }

  @Override
  public synchronized Host launch(HostRequest request) {
    Host h = testbed.launch(request);
    String id =
        idByLaunchKey.computeIfAbsent(
            request.key(),
            k -> {
              int n = leasesByName.merge(h.id(), 1, Integer::sum);
              return n == 1 ? h.id() : h.id() + "-" + n;
            });
    currentIdByName.put(h.id(), id);
    return renamed(h, id);
  }

  @Override
  public synchronized List<Host> list() {
    return testbed.list().stream().map(h -> renamed(h, idOf(h.id()))).toList();
  }

  @Override
  public synchronized void terminate(String hostId) {
    String name = nameOf(hostId);
    testbed.terminate(name);
    currentIdByName.remove(name);
  }

  @Override
  public AutoCloseable subscribe(HostEventSink sink) {
    return testbed.subscribe(e -> sink.accept(renamed(e)));
  }

  /** The 2-minute notice of a leased host (see {@link TestbedHostProvider#interrupt}). */
  void interrupt(String hostId, Duration notice) {
    interrupt.accept(nameOf(hostId), notice);
  }

  /** The reclamation of a leased host (see {@link TestbedHostProvider#reclaim}). */
  void reclaim(String hostId) {
    reclaim.accept(nameOf(hostId));
  }

  private synchronized String idOf(String name) {
    return currentIdByName.getOrDefault(name, name);
  }

  /** The machine's own name: the id less the {@code -<n>} of a later lease. */
  private synchronized String nameOf(String id) {
    Matcher m = LATER_LEASE.matcher(id);
    return m.matches() && leasesByName.containsKey(m.group(1)) ? m.group(1) : id;
  }

  private HostEvent renamed(HostEvent e) {
    String id = idOf(e.hostId());
    if (e instanceof HostEvent.RebalanceRecommendation r) {
      return new HostEvent.RebalanceRecommendation(r.eventId(), id, r.noticeTime());
    }
    if (e instanceof HostEvent.InterruptionNotice n) {
      return new HostEvent.InterruptionNotice(n.eventId(), id, n.deadline(), n.action());
    }
    HostEvent.HostGone g = (HostEvent.HostGone) e;
    return new HostEvent.HostGone(g.eventId(), id, g.observedAt(), g.reason());
  }

  private static Host renamed(Host h, String id) {
    return new Host(
        id,
        h.pool(),
        h.market(),
        h.state(),
        h.libvirtUri(),
        h.peerUri(),
        h.underlayAddress(),
        h.capacity(),
        h.zoneId(),
        h.pricePerHour(),
        h.launchTime());
  }
}
