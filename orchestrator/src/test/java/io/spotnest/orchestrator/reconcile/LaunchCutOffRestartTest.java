package io.spotnest.orchestrator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.adapter.hosts.PoolMapping;
import io.spotnest.orchestrator.adapter.hosts.ProviderHostFleet;
import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.journal.JournalRecord.HostLaunchRequested;
import io.spotnest.orchestrator.journal.JournalRecord.HostLaunched;
import io.spotnest.orchestrator.journal.JournalRecord.HostPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.HostTerminationRequested;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.testing.FakeHostProvider;
import io.spotnest.orchestrator.testing.Rig;
import io.spotnest.orchestrator.testing.States;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A controller crash between asking the cloud for a host ({@code HostLaunchRequested} journaled,
 * the launch issued) and hearing its answer ({@code HostLaunched}): at the restart, through the
 * real {@link ProviderHostFleet} over a provider that behaves as EC2 does (idempotent by key, each
 * host carrying its key), the host the cloud lists under the key of a launch the journal still
 * waits for is that launch's host: adopted once, never terminated as an orphan and launched again,
 * and the agent waiting for it is placed there. A host whose launch the journal gave up on stays an
 * orphan, terminated (journaled first).
 */
class LaunchCutOffRestartTest {
  private final Rig rig = new Rig();
  private final FakeHostProvider provider = new FakeHostProvider(rig.journal::replay);
  private final List<ProviderHostFleet> controllers = new ArrayList<>();

  @AfterEach
  void close() {
    controllers.forEach(ProviderHostFleet::close);
  }

  @Test
  void aHostWhoseLaunchAnswerTheCrashCutOffIsAdoptedOnceAndTakesTheWaitingAgent() {
    String agent = crashAfterALaunchWasIssued();
    String key = launchKeys().get(0);
    String host = provider.list().get(0).id();
    rig.world.hypervisorOn(host, States.SPOT_A, Market.SPOT, Rig.HOST_MIB);

    restart();

    assertEquals(
        List.of(new HostLaunched(key, host)),
        records(HostLaunched.class),
        "the launch's host, adopted at the restart");
    assertEquals(List.of(), provider.terminated(), "not terminated as an orphan");
    assertEquals(List.of(), records(HostTerminationRequested.class));
    assertEquals(1, provider.launched(), "no second launch");
    assertEquals(HostPhase.READY, rig.o().state().findHost(host).orElseThrow().phase());
    assertEquals(List.of(), List.copyOf(rig.o().state().launching()));

    rig.o().tick();
    Agent a = rig.o().state().findAgent(agent).orElseThrow();
    assertEquals(host, a.hostId(), "the agent that waited for the launch is placed on its host");
    assertEquals(AgentPhase.BOOTING, a.phase());
    assertEquals(List.of(host), rig.world.copies().get(agent), "and its VM boots there");

    restart(); // a second restart adopts nothing again
    rig.o().tick();
    assertEquals(1, records(HostLaunched.class).size(), records(HostLaunched.class).toString());
    assertEquals(List.of(), provider.terminated());
    assertEquals(1, provider.launched());
    assertNothingUnannounced();
  }

  @Test
  void aHostStillPendingAtTheRestartIsKeptAndAdoptedOnceItRuns() {
    provider.launchPending(true);
    crashAfterALaunchWasIssued();
    String key = launchKeys().get(0);
    String host = provider.list().get(0).id();

    restart();
    assertEquals(List.of(), provider.terminated(), "a pending host of a journaled launch is kept");
    assertEquals(List.of(), records(HostLaunched.class));

    provider.run(host);
    rig.o().tick();

    assertEquals(List.of(new HostLaunched(key, host)), records(HostLaunched.class));
    assertEquals(List.of(), provider.terminated());
    assertEquals(1, provider.launched(), "the re-issued launch is the same one");
    assertNothingUnannounced();
  }

  @Test
  void aHostWhoseLaunchTheJournalGaveUpOnIsAnOrphanAndTerminated() {
    provider.launchPending(true);
    crashAfterALaunchWasIssued();
    String key = launchKeys().get(0);
    String host = provider.list().get(0).id();
    rig.clock.advance(Duration.ofMinutes(6)); // past the launch timeout (5 min)
    // the first controller gives the launch up and dies before its orphan sweep
    rig.journal.append(new HostPhaseChanged(key, HostPhase.GONE, "launch not running after PT5M"));
    provider.run(host); // then the host runs

    restart();

    assertEquals(List.of(host), provider.terminated(), "the launch it belonged to is over");
    assertTrue(
        records(HostTerminationRequested.class).stream().anyMatch(t -> t.hostId().equals(host)));
    assertTrue(
        records(HostLaunched.class).stream().noneMatch(l -> l.hostId().equals(host)),
        "never adopted: " + records(HostLaunched.class));
    assertNothingUnannounced();
  }

  /**
   * A controller over the provider asks for an agent; its tick journals a launch and issues it, and
   * the controller dies before a tick hears the launch's answer. Returns the agent.
   */
  private String crashAfterALaunchWasIssued() {
    controller();
    rig.start();
    String agent = rig.o().requestAgent(2048, Duration.ofHours(1));
    rig.o().tick();
    assertEquals(1, launchKeys().size(), "one launch journaled");
    assertEquals(
        States.SPOT_A, records(HostLaunchRequested.class).get(0).pool(), "the safest spot pool");
    assertEquals(1, provider.launched(), "and issued");
    assertEquals(List.of(), records(HostLaunched.class), "its answer not yet heard");
    return agent;
  }

  /** A new controller: a fresh adapter (knowing no launch) on the same journal and cloud. */
  private void restart() {
    controller();
    rig.start();
  }

  private void controller() {
    ProviderHostFleet fleet =
        new ProviderHostFleet(
            provider, PoolMapping.byZoneId(), "test", rig.clock, Duration.ofSeconds(10));
    controllers.add(fleet);
    rig.fleetPort = fleet;
  }

  private List<String> launchKeys() {
    return records(HostLaunchRequested.class).stream().map(HostLaunchRequested::launchKey).toList();
  }

  private <T extends JournalRecord> List<T> records(Class<T> type) {
    return rig.journal.replay().stream().filter(type::isInstance).map(type::cast).toList();
  }

  private void assertNothingUnannounced() {
    assertEquals(List.of(), provider.violations());
    assertEquals(List.of(), rig.world.violations());
  }
}
