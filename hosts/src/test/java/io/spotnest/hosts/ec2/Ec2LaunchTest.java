package io.spotnest.hosts.ec2;

import static io.spotnest.hosts.ec2.Ec2Fixture.POOL_A;
import static io.spotnest.hosts.ec2.Ec2Fixture.POOL_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.Market;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Launch behaviour a controller relies on: one instance per launch whatever the network does,
 * capacity, caps.
 */
class Ec2LaunchTest {

  @RegisterExtension final Ec2Fixture.PerTest fixtures = new Ec2Fixture.PerTest();
  private Ec2Fixture fx;

  @Test
  void anAnswerCutOffAfterTheInstanceWasCreatedIsRetriedWithTheSameClientToken() throws Exception {
    fx = fixtures.open();
    fx.fake.dropAnswer("RunInstances", 1);
    Host host = fx.provider.launch(new HostRequest(POOL_A, Market.SPOT));

    List<Ec2QueryFake.Request> runs = fx.fake.requests("RunInstances");
    assertEquals(2, runs.size(), "retried after the client-side error");
    assertEquals(
        1,
        runs.stream().map(r -> r.get("ClientToken")).distinct().count(),
        "with the same ClientToken");
    assertEquals(1, fx.fake.instances().size(), "only one instance exists");
    assertEquals(fx.fake.instances().get(0).id, host.id());
  }

  @Test
  void unsupportedIsNeverRetriedInPlace() throws Exception {
    fx = fixtures.open("retry.attemptsPerPool = 3");
    fx.fake.fail(
        "RunInstances", "Unsupported", 10, r -> r.get("InstanceType").equals("c8i.2xlarge"));
    Host host = fx.provider.launch(new HostRequest(POOL_A, Market.SPOT));
    assertEquals(POOL_B, host.pool());
    assertEquals(List.of("c8i.2xlarge", "m8i.2xlarge"), types());
    assertTrue(fx.sleeps.isEmpty(), "no backoff: the next pool is tried at once");
  }

  @Test
  void insufficientCapacityMarksThatOfferingUnavailableAndMovesOnAtOnce() throws Exception {
    fx = fixtures.open("retry.attemptsPerPool = 3", "unavailableTtl = 3m");
    fx.fake.fail(
        "RunInstances",
        "InsufficientInstanceCapacity",
        1,
        r -> r.get("InstanceType").equals("c8i.2xlarge"));
    assertEquals(POOL_B, fx.provider.launch(new HostRequest(POOL_A, Market.SPOT)).pool());
    assertEquals(List.of("c8i.2xlarge", "m8i.2xlarge"), types());
    assertTrue(fx.sleeps.isEmpty());

    assertEquals(
        POOL_B,
        fx.provider.launch(new HostRequest(POOL_A, Market.SPOT)).pool(),
        "pool A spot is skipped");
    assertEquals(
        POOL_A,
        fx.provider.launch(new HostRequest(POOL_A, Market.ON_DEMAND)).pool(),
        "pool A on-demand is another offering");
    fx.clock.advance(Duration.ofMinutes(3));
    assertEquals(
        POOL_A,
        fx.provider.launch(new HostRequest(POOL_A, Market.SPOT)).pool(),
        "tried again after the TTL");
  }

  @Test
  void theSpotQuotaBlocksEverySpotOfferingForTheTtl() throws Exception {
    fx = fixtures.open("fallback.onDemand = true", "unavailableTtl = 3m");
    fx.fake.fail(
        "RunInstances",
        "MaxSpotInstanceCountExceeded",
        1,
        r -> "spot".equals(r.get("InstanceMarketOptions.MarketType")));
    assertEquals(
        Market.ON_DEMAND, fx.provider.launch(new HostRequest(POOL_A, Market.SPOT)).market());
    assertEquals(
        Market.ON_DEMAND, fx.provider.launch(new HostRequest(POOL_B, Market.SPOT)).market());
    assertEquals(1, spotRuns(), "the second launch did not try spot in any pool");
    fx.clock.advance(Duration.ofMinutes(3));
    assertEquals(Market.SPOT, fx.provider.launch(new HostRequest(POOL_B, Market.SPOT)).market());
  }

  @Test
  void capsHoldUnderConcurrentLaunches() throws Exception {
    fx = fixtures.open("cap.hosts = 3", "cap.spotHosts = 2", "fallback.onDemand = false");
    fx.fake.delayAnswer("RunInstances", 300, 100);
    assertEquals(2, launchAtOnce(8, Market.SPOT), "cap.spotHosts = 2");
    assertEquals(1, launchAtOnce(8, Market.ON_DEMAND), "cap.hosts = 3");
    assertEquals(3, fx.fake.instances().size());
    assertEquals(2, fx.fake.instances().stream().filter(i -> i.spot).count());
  }

  /**
   * Starts {@code n} launches at the same moment on {@code n} threads; returns how many succeeded.
   */
  private int launchAtOnce(int n, Market market) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Host>> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        results.add(
            threads.submit(
                () -> {
                  go.await();
                  return fx.provider.launch(new HostRequest(POOL_A, market));
                }));
      }
      go.countDown();
      int ok = 0;
      for (Future<Host> f : results) {
        try {
          f.get(30, TimeUnit.SECONDS);
          ok++;
        } catch (java.util.concurrent.ExecutionException e) {
          assertTrue(e.getCause().getMessage().startsWith("cap."), e.getCause().getMessage());
        }
      }
      return ok;
    } finally {
      threads.shutdownNow();
    }
  }

  private long spotRuns() {
    return fx.fake.requests("RunInstances").stream()
        .filter(r -> "spot".equals(r.get("InstanceMarketOptions.MarketType")))
        .count();
  }

  private List<String> types() {
    return fx.fake.requests("RunInstances").stream().map(r -> r.get("InstanceType")).toList();
  }
}
