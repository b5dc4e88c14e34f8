package io.spotnest.hosts.ec2;

import static io.spotnest.hosts.ec2.Ec2Fixture.OURS;
import static io.spotnest.hosts.ec2.Ec2Fixture.POOL_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.AsyncLaunch;
import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostLaunch;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.HostState;
import io.spotnest.hosts.Market;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Launches as a controller drives them: asynchronous, idempotent by the caller's key, cancellable;
 * orphans by tag.
 */
class Ec2LaunchLifecycleTest {

  @RegisterExtension final Ec2Fixture.PerTest fixtures = new Ec2Fixture.PerTest();
  private Ec2Fixture fx;

  @Test
  void aTimedOutLaunchIsRetriedWithTheSameClientTokenAndLaunchesOneInstance() throws Exception {
    // The timeout must leave the undelayed retry room on a loaded 2-core machine (300 ms did not,
    // once).
    fx = fixtures.open("timeout.apiCall = 3s");
    fx.fake.delayAnswer("RunInstances", 8000, 1);
    Host host =
        fx.provider
            .start(new HostRequest("agent-7-host", POOL_A, Market.SPOT))
            .result()
            .get(20, TimeUnit.SECONDS);

    List<Ec2QueryFake.Request> runs = fx.fake.requests("RunInstances");
    assertEquals(2, runs.size());
    assertEquals(runs.get(0).get("ClientToken"), runs.get(1).get("ClientToken"));
    assertEquals(1, fx.fake.instances().size(), "one instance, not an orphan and a second one");
    assertEquals(fx.fake.instances().get(0).id, host.id());
  }

  @Test
  void whenEveryAnswerIsLostTheInstanceIsFoundByItsClientToken() throws Exception {
    fx = fixtures.open("retry.attemptsPerPool = 3");
    fx.fake.dropAnswer("RunInstances", 3);
    Host host = fx.provider.launch(new HostRequest("k1", POOL_A, Market.SPOT));
    assertEquals(3, fx.fake.requests("RunInstances").size());
    assertEquals(1, fx.fake.instances().size());
    assertEquals(fx.fake.instances().get(0).id, host.id());
    assertTrue(
        fx.fake.requests("DescribeInstances").stream()
            .anyMatch(r -> r.params().containsValue("client-token")));
  }

  @Test
  void theSameKeyGivesTheSameLaunchAndAfterARestartTheSameInstance() throws Exception {
    fx = fixtures.open();
    fx.fake.delayAnswer("RunInstances", 300, 1);
    HostRequest request = new HostRequest("agent-9-host", POOL_A, Market.SPOT);
    HostLaunch first = fx.provider.start(request);
    assertSame(first, fx.provider.start(request), "a second start while the first runs joins it");
    Host host = first.result().get(20, TimeUnit.SECONDS);
    assertEquals(host, fx.provider.launch(request));

    Host afterRestart = fx.restarted().launch(request);
    assertEquals(
        host.id(),
        afterRestart.id(),
        "the ClientToken comes from the key: EC2 answers with the same instance");
    assertEquals(1, fx.fake.instances().size());
    assertThrows(
        IllegalArgumentException.class,
        () -> fx.provider.start(new HostRequest("agent-9-host", POOL_A, Market.ON_DEMAND)));
  }

  /**
   * A controller that journaled a launch key, asked for the launch and stopped before it heard the
   * answer must, after its restart, tell the instance from an orphan by listing alone (else it
   * terminates it and launches again): the instance carries its key, the ClientToken being a hash.
   */
  @Test
  void aHostLaunchedBeforeARestartIsListedWithItsLaunchKey() throws Exception {
    fx = fixtures.open();
    Host host = fx.provider.launch(new HostRequest("launch-7", POOL_A, Market.SPOT));
    String untagged = fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, OURS, "running").id;

    Map<String, Optional<String>> keys = new TreeMap<>();
    fx.restarted().list().forEach(h -> keys.put(h.id(), h.launchKey()));

    assertEquals(
        Map.of(host.id(), Optional.of("launch-7"), untagged, Optional.empty()),
        keys,
        "its launch's key, or none for an instance launched without one");
    assertEquals(Optional.of("launch-7"), host.launchKey(), "the launch's host too");
  }

  @Test
  void aLaunchCancelledWhileRunInstancesIsInFlightTerminatesWhatItCreated() throws Exception {
    fx = fixtures.open();
    fx.fake.delayAnswer("RunInstances", 1000, 1);
    HostRequest request = new HostRequest("cancel-me", POOL_A, Market.SPOT);
    AsyncLaunch launch = (AsyncLaunch) fx.provider.start(request);
    for (int i = 0; i < 200 && fx.fake.instances().isEmpty(); i++) {
      Thread.sleep(10);
    }
    assertEquals(
        1,
        fx.fake.instances().size(),
        "EC2 has created the instance; its answer is still on the way");
    launch.cancel();
    assertThrows(CancellationException.class, () -> launch.result().get(20, TimeUnit.SECONDS));
    launch.undone().get(20, TimeUnit.SECONDS);

    assertEquals("terminated", fx.fake.instances().get(0).state);
    assertEquals(1, fx.fake.instances().size());
    assertEquals(
        List.of(fx.fake.instances().get(0).id),
        fx.fake.requests("TerminateInstances").stream().map(r -> r.get("InstanceId.1")).toList());
    assertSame(launch, fx.provider.start(request), "a cancelled key stays cancelled");
  }

  @Test
  void cancellingALaunchThatAlreadyFinishedTerminatesItsHost() throws Exception {
    fx = fixtures.open();
    AsyncLaunch launch =
        (AsyncLaunch) fx.provider.start(new HostRequest("k2", POOL_A, Market.ON_DEMAND));
    Host host = launch.result().get(20, TimeUnit.SECONDS);
    launch.cancel();
    launch.undone().get(20, TimeUnit.SECONDS);
    assertEquals("terminated", fx.fake.instance(host.id()).state);
  }

  @Test
  void aLaunchThatStartsWhileOrphansAreListedIsNotAnOrphan() throws Exception {
    // CI (2026-12-03): the in-flight launch's instance was listed as an orphan when its ClientToken
    // was sent after orphans() had taken the launches in progress and before EC2 answered its
    // DescribeInstances
    fx = fixtures.open();
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    fx.fake.holdNext("DescribeInstances", arrived, release);
    CompletableFuture<Set<String>> orphans =
        CompletableFuture.supplyAsync(() -> ids(fx.provider.orphans(Set.of())));
    assertTrue(arrived.await(10, TimeUnit.SECONDS), "orphans() asked EC2");

    fx.fake.delayAnswer("RunInstances", 1500, 1);
    HostLaunch inFlight = fx.provider.start(new HostRequest("late", POOL_A, Market.SPOT));
    for (int i = 0; i < 500 && fx.fake.instances().isEmpty(); i++) {
      Thread.sleep(10);
    }
    assertEquals(1, fx.fake.instances().size(), "the launch's instance exists");
    release.countDown();

    assertEquals(Set.of(), orphans.get(10, TimeUnit.SECONDS), "a launch in progress is no orphan");
    inFlight.result().get(20, TimeUnit.SECONDS);
  }

  @Test
  void orphansAreOurInstancesWithoutARecordAndAreTerminatedOnlyWhenAsked() throws Exception {
    fx = fixtures.open();
    Host recorded = fx.provider.launch(new HostRequest("recorded", POOL_A, Market.SPOT));
    String unrecorded = fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, OURS, "running").id;
    String stopped = fx.fake.addInstance("c8i.2xlarge", "us-east-1a", false, OURS, "stopped").id;
    fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, OURS, "terminated");
    String foreign =
        fx.fake.addInstance(
                "c8i.2xlarge",
                "us-east-1a",
                true,
                Map.of(Ec2Tags.CLUSTER, "prod", Ec2Tags.MANAGED, "true"),
                "running")
            .id;

    fx.fake.delayAnswer("RunInstances", 1500, 1);
    HostLaunch inFlight = fx.provider.start(new HostRequest("in-flight", POOL_A, Market.SPOT));
    // the recorded one and four added make five: the in-flight launch's is the sixth (before, the
    // wait looked for five and so never waited)
    for (int i = 0; i < 200 && fx.fake.instances().size() < 6; i++) {
      Thread.sleep(10);
    }
    assertEquals(6, fx.fake.instances().size(), "the in-flight launch's instance exists");

    Set<String> orphans = ids(fx.provider.orphans(Set.of(recorded.id())));
    assertEquals(
        Set.of(unrecorded, stopped),
        orphans,
        "not the recorded, gone, foreign or still-launching ones");
    assertEquals(
        "running", fx.fake.instance(unrecorded).state, "listing orphans terminates nothing");

    assertEquals(
        Set.of(unrecorded, stopped), ids(fx.provider.terminateOrphans(Set.of(recorded.id()))));
    assertEquals("terminated", fx.fake.instance(unrecorded).state);
    assertEquals("terminated", fx.fake.instance(stopped).state);
    assertEquals("running", fx.fake.instance(foreign).state);
    assertEquals(
        HostState.PENDING,
        fx.provider.list().stream()
            .filter(h -> h.id().equals(recorded.id()))
            .findFirst()
            .orElseThrow()
            .state());

    Host late = inFlight.result().get(20, TimeUnit.SECONDS);
    assertEquals(
        Set.of(late.id()),
        ids(fx.provider.orphans(Set.of(recorded.id()))),
        "once finished, an unrecorded launch is an orphan");
  }

  private static Set<String> ids(List<Host> hosts) {
    return Set.copyOf(hosts.stream().map(Host::id).toList());
  }
}
