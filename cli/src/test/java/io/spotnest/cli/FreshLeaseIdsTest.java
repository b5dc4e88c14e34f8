package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostCapacity;
import io.spotnest.hosts.HostEvent;
import io.spotnest.hosts.HostEventSink;
import io.spotnest.hosts.HostProvider;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.HostState;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.Pool;
import io.spotnest.migration.HypervisorEndpoint;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FreshLeaseIdsTest {
  private static final Pool POOL = new Pool("testbed", "lab");
  private static final Instant T = Instant.parse("2023-04-22T06:38:00Z");

  /** Two named machines leased in order, like the testbed: a released name is leased again. */
  private static final class TwoMachines implements HostProvider {
    final Map<String, String> leasedBy = new LinkedHashMap<>();
    final List<HostEventSink> sinks = new ArrayList<>();
    final List<String> interrupted = new ArrayList<>();

    @Override
    public Host launch(HostRequest r) {
      for (var e : leasedBy.entrySet()) {
        if (e.getValue().equals(r.key())) {
          return host(e.getKey());
        }
      }
      for (String name : List.of("hosta", "hostb")) {
        if (!leasedBy.containsKey(name)) {
          leasedBy.put(name, r.key());
          return host(name);
        }
      }
      throw new IllegalStateException("all in use");
    }

    @Override
    public List<Host> list() {
      return leasedBy.keySet().stream().map(TwoMachines::host).toList();
    }

    @Override
    public void terminate(String hostId) {
      if (leasedBy.remove(hostId) == null) {
        throw new IllegalStateException("not leased: " + hostId);
      }
    }

    @Override
    public AutoCloseable subscribe(HostEventSink sink) {
      sinks.add(sink);
      return () -> sinks.remove(sink);
    }

    static Host host(String name) {
      return new Host(
          name,
          POOL,
          Market.SPOT,
          HostState.RUNNING,
          URI.create("qemu+tls://" + name + "/system"),
          URI.create("qemu+tls://" + name + "/system"),
          Optional.of("10.0.0.7"),
          HostCapacity.UNKNOWN,
          "lab",
          Optional.empty(),
          T);
    }
  }

  @Test
  void aTestbedHostLeasedAgainIsANewHostUnderAFreshId() {
    TwoMachines machines = new TwoMachines();
    FreshLeaseIds hosts =
        new FreshLeaseIds(machines, (name, d) -> machines.interrupted.add(name), name -> {});
    List<HostEvent> seen = new ArrayList<>();
    hosts.subscribe(seen::add);

    assertEquals("hosta", hosts.launch(new HostRequest("k1", POOL, Market.SPOT)).id());
    assertEquals("hostb", hosts.launch(new HostRequest("k2", POOL, Market.SPOT)).id());
    hosts.terminate("hosta");
    assertEquals("hosta-2", hosts.launch(new HostRequest("k3", POOL, Market.SPOT)).id());
    assertEquals(
        "hosta-2",
        hosts.launch(new HostRequest("k3", POOL, Market.SPOT)).id(),
        "a retried launch gets its own host again");
    assertEquals(
        Optional.of("10.0.0.7"),
        hosts.launch(new HostRequest("k3", POOL, Market.SPOT)).underlayAddress(),
        "the renamed lease keeps the machine's underlay address");
    assertEquals(
        java.util.Set.of("hosta-2", "hostb"),
        hosts.list().stream().map(Host::id).collect(java.util.stream.Collectors.toSet()));

    new HypervisorEndpoint("hosta-2", "qemu:///system", "qemu:///system", 1024); // a valid name
    hosts.interrupt("hosta-2", Duration.ofMinutes(2));
    assertEquals(List.of("hosta"), machines.interrupted, "the machine is told by its own name");
    machines.sinks.forEach(
        s -> s.accept(new HostEvent.InterruptionNotice("e1", "hosta", T, "terminate")));
    assertEquals("hosta-2", seen.get(0).hostId(), "events name the current lease");

    hosts.terminate("hosta-2");
    assertEquals(List.of("hostb"), new ArrayList<>(machines.leasedBy.keySet()));
  }
}
