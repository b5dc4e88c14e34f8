package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.jenkins.orchestrator.CloudFleetWiring;
import io.spotnest.jenkins.orchestrator.FleetSeams;
import io.spotnest.jenkins.orchestrator.FleetShutdown;
import io.spotnest.jenkins.orchestrator.OrchestratorBackend;
import io.spotnest.jenkins.port.AgentStatus;
import io.spotnest.jenkins.port.SpotNestController;
import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.testing.StubHypervisors;
import io.spotnest.orchestrator.tick.Ids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet's life in a running Jenkins: rebuilt when the cloud's fleet settings change (the old
 * one closed first, the orchestrator resuming from its journal), kept on an unchanged save, closed
 * at shutdown, and closed again when building it fails half-way. Fakes only at the static hosts'
 * SSH seam (it records opens and closes) and the hypervisors.
 */
class FleetLifecycleTest {
  private static final String HOSTS =
      "rack1-a sn@127.0.0.11 pool=static-32c@rack1 key=id_ed25519 known_hosts=known_hosts\n";

  @TempDir Path home;
  private final List<FakeStaticHosts> opened = new CopyOnWriteArrayList<>();
  private final AtomicReference<FleetSettings> settings = new AtomicReference<>();
  private RuntimeException subscribeFailure;

  @BeforeEach
  void keys() throws Exception {
    Path ssh = Files.createDirectories(home.resolve("spotnest/ssh"));
    Files.writeString(ssh.resolve("known_hosts"), "");
    Files.writeString(ssh.resolve("id_ed25519"), "");
    Files.setPosixFilePermissions(
        ssh.resolve("id_ed25519"), PosixFilePermissions.fromString("rw-------"));
    settings.set(settings(16384));
  }

  private static FleetSettings settings(int hostMemoryMb) {
    SpotNestCloud cloud = new SpotNestCloud("ci");
    cloud.setStaticHosts(HOSTS);
    cloud.setHostMemoryMb(hostMemoryMb);
    cloud.setImagesDir("/srv/spotnest/images");
    return cloud.fleetSettings();
  }

  private CloudFleetWiring wiring() {
    StubHypervisors hypervisors = new StubHypervisors("rack1-a");
    return new CloudFleetWiring(
        () -> List.of(settings.get()),
        () -> home,
        new FleetSeams(
            library -> Optional.empty(),
            (hosts, socketDir, clock, overlay) -> {
              FakeStaticHosts p = new FakeStaticHosts(hosts, socketDir);
              p.subscribeFailure = subscribeFailure;
              opened.add(p);
              return p;
            },
            hypervisors::connect,
            Clock.systemUTC()));
  }

  @Test
  void anUnchangedSaveKeepsTheFleet() {
    CloudFleetWiring wiring = wiring();
    Orchestrator.Ports first = wiring.ports();

    settings.set(settings(16384)); // the cloud saved again, same values
    Orchestrator.Ports again = wiring.ports();

    assertSame(first, again);
    assertEquals(1, opened.size());
    assertFalse(opened.get(0).closed);
  }

  @Test
  void changedFleetSettingsCloseTheOldFleetFirstAndBuildANewOne() {
    CloudFleetWiring wiring = wiring();
    Orchestrator.Ports first = wiring.ports();
    assertEquals(16384, wiring.config().offers().get(0).capacityMiB());

    settings.set(settings(8192));
    Orchestrator.Ports second = wiring.ports();

    assertNotSame(first, second);
    assertEquals(2, opened.size());
    assertTrue(opened.get(0).closed, "the old SSH sessions are closed");
    assertTrue(opened.get(0).subscriptionClosed, "the old event subscription is closed");
    assertFalse(opened.get(1).closed);
    assertEquals(8192, wiring.config().offers().get(0).capacityMiB());
  }

  @Test
  void theOrchestratorMovesToTheNewFleetAndKeepsItsStateFromTheJournal() throws Exception {
    CloudFleetWiring wiring = wiring();
    OrchestratorBackend backend =
        new OrchestratorBackend(() -> home, () -> wiring, Clock.systemUTC(), Ids.random());
    SpotNestController before = backend.controller();
    SpotNestAgent agent =
        new SpotNestAgent("ci-00c0ffee", "ci", new SpotNestTemplate("linux"), "http://127.0.0.1/");
    before.startAgent(agent.launchRequest(null));

    settings.set(settings(8192));
    SpotNestController after = backend.controller();

    assertNotSame(before, after);
    assertTrue(opened.get(0).closed);
    assertEquals(
        List.of("ci-00c0ffee"), after.agents().stream().map(AgentStatus::agentName).toList());
    assertSame(after, backend.controller(), "no change, no restart");
  }

  @Test
  void jenkinsShutdownClosesTheFleet() {
    CloudFleetWiring wiring = wiring();
    OrchestratorBackend backend =
        new OrchestratorBackend(() -> home, () -> wiring, Clock.systemUTC(), Ids.random());
    backend.controller();

    new FleetShutdown(() -> List.of(backend), () -> List.of(wiring)).onBeforeShutdown();

    assertTrue(opened.get(0).closed);
    assertTrue(opened.get(0).subscriptionClosed);
    assertThrows(IllegalStateException.class, backend::controller, "a late tick builds nothing");
    assertEquals(1, opened.size());
  }

  @Test
  void aFailureHalfWayClosesWhatWasOpened() {
    subscribeFailure = new IllegalStateException("event source down");
    CloudFleetWiring wiring = wiring();

    assertThrows(IllegalStateException.class, wiring::ports);

    assertEquals(1, opened.size());
    assertTrue(opened.get(0).closed, "the SSH sessions opened before the failure are closed");
  }
}
