package io.spotnest.jenkins.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spotnest.migration.Hypervisor;
import io.spotnest.migration.HypervisorEndpoint;
import io.spotnest.migration.VmState;
import io.spotnest.orchestrator.testing.StubHypervisors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The fleet's libvirt connections: those still open when the fleet closes are closed with it. */
class TrackedHypervisorsTest {
  private final StubHypervisors stub = new StubHypervisors("h1", "h2");
  private final List<String> closes = new ArrayList<>();

  private Hypervisor counting(HypervisorEndpoint ep) {
    Hypervisor real = stub.connect(ep);
    return (Hypervisor)
        java.lang.reflect.Proxy.newProxyInstance(
            Hypervisor.class.getClassLoader(),
            new Class<?>[] {Hypervisor.class},
            (p, m, a) -> {
              if (m.getName().equals("close")) {
                closes.add(ep.name());
              }
              return m.invoke(real, a);
            });
  }

  @Test
  void closingTheFleetClosesTheConnectionsStillOpenOnceEach() {
    stub.vms.put("h1", new ConcurrentHashMap<>(Map.of("ci-1", VmState.RUNNING)));
    TrackedHypervisors tracked = new TrackedHypervisors(this::counting);
    Hypervisor done = tracked.connect(StubHypervisors.endpoint("h1"));
    Hypervisor inFlight = tracked.connect(StubHypervisors.endpoint("h2"));
    assertEquals(VmState.RUNNING, done.state("ci-1"), "calls reach the connection");
    done.close();
    assertEquals(1, tracked.openCount());

    tracked.close();
    inFlight.close();

    assertEquals(List.of("h1", "h2"), closes);
    assertEquals(0, tracked.openCount());
    assertThrows(
        IllegalStateException.class, () -> tracked.connect(StubHypervisors.endpoint("h1")));
  }
}
