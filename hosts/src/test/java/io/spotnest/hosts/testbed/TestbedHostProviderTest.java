package io.spotnest.hosts.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostEvent;
import io.spotnest.hosts.HostLaunchException;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.HostState;
import io.spotnest.hosts.LabGate;
import io.spotnest.hosts.LaunchFailure;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.NotOwnedException;
import io.spotnest.hosts.Pool;
import io.spotnest.testbed.LinkShape;
import io.spotnest.testbed.Prerequisites;
import io.spotnest.testbed.Shell;
import io.spotnest.testbed.Testbed;
import io.spotnest.testbed.TestbedSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The testbed as a host provider with a simulated spot market, on real libvirtd hosts in
 * namespaces.
 */
@Tag("lab")
class TestbedHostProviderTest {
  @TempDir Path work;

  @Test
  void leasesHostsAndSimulatesTheSpotMarket() throws Exception {
    LabGate.requireOrSkip("testbed prerequisites missing: ", Prerequisites.missing());
    try (Testbed tb = Testbed.start(new TestbedSpec(2, 256, LinkShape.UNSHAPED, work))) {
      TestbedHostProvider provider = new TestbedHostProvider(tb, Clock.systemUTC());
      Pool pool = provider.pool();
      Host spot = provider.launch(new HostRequest(pool, Market.SPOT));
      Host onDemand = provider.launch(new HostRequest(pool, Market.ON_DEMAND));
      assertEquals(
          LaunchFailure.NO_CAPACITY,
          assertThrows(
                  HostLaunchException.class,
                  () -> provider.launch(new HostRequest(pool, Market.SPOT)))
              .failure(),
          "every testbed host is leased");
      assertEquals(
          LaunchFailure.UNSUPPORTED,
          assertThrows(
                  HostLaunchException.class,
                  () -> provider.launch(new HostRequest(new Pool("other", "az9"), Market.SPOT)))
              .failure(),
          "the testbed has one pool only");
      assertEquals(List.of(spot, onDemand), provider.list());
      Shell shell = new Shell();
      assertEquals(
          spot.id(),
          shell.run("virsh", "-q", "-c", spot.libvirtUri().toString(), "hostname").stdout().strip(),
          "the host's libvirt URI reaches its own daemon");

      List<HostEvent> events = Collections.synchronizedList(new ArrayList<>());
      try (AutoCloseable sub = provider.subscribe(events::add)) {
        provider.recommendRebalance(spot.id());
        provider.interrupt(spot.id(), Duration.ofSeconds(120));
        assertThrows(
            IllegalStateException.class,
            () -> provider.interrupt(onDemand.id(), Duration.ofSeconds(120)));
        provider.reclaim(spot.id());
      }
      assertEquals(3, events.size(), events.toString());
      assertTrue(events.get(0) instanceof HostEvent.RebalanceRecommendation);
      assertTrue(
          events.get(1) instanceof HostEvent.InterruptionNotice n && n.hostId().equals(spot.id()));
      assertTrue(events.get(2) instanceof HostEvent.HostGone);
      assertEquals(HostState.TERMINATED, provider.list().get(0).state());
      assertFalse(
          shell.exec(List.of("virsh", "-q", "-c", spot.libvirtUri().toString(), "hostname")).ok(),
          "its daemon is gone");

      provider.terminate(spot.id());
      assertThrows(NotOwnedException.class, () -> provider.terminate(spot.id()));
      assertEquals(List.of(onDemand.id()), provider.list().stream().map(Host::id).toList());
    }
  }
}
