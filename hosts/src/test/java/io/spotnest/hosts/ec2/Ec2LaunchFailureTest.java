package io.spotnest.hosts.ec2;

import static io.spotnest.hosts.ec2.Ec2Fixture.POOL_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.HostLaunchException;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.LaunchFailure;
import io.spotnest.hosts.Market;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A failed launch says why, as the provider classified the EC2 error of the requested offering,
 * both on the blocking call and on the launch's asynchronous result.
 */
class Ec2LaunchFailureTest {

  @RegisterExtension final Ec2Fixture.PerTest fixtures = new Ec2Fixture.PerTest();
  private Ec2Fixture fx;

  @Test
  void insufficientCapacityEverywhereIsNoCapacity() throws Exception {
    fx = fixtures.open("retry.attemptsPerPool = 1");
    fx.fake.fail("RunInstances", "InsufficientInstanceCapacity", 10);
    assertEquals(LaunchFailure.NO_CAPACITY, failureOf(POOL_A, Market.SPOT));
  }

  @Test
  void unsupportedIsItsOwnClassAndSoIsItsSkipLater() throws Exception {
    fx = fixtures.open("retry.attemptsPerPool = 3", "unavailableTtl = 3m");
    fx.fake.fail("RunInstances", "Unsupported", 10);
    assertEquals(LaunchFailure.UNSUPPORTED, failureOf(POOL_A, Market.SPOT));
    int runs = fx.fake.requests("RunInstances").size();
    assertEquals(
        LaunchFailure.UNSUPPORTED,
        failureOf(POOL_A, Market.SPOT),
        "the offering is skipped now, for the reason it failed");
    assertEquals(runs, fx.fake.requests("RunInstances").size(), "no call was made");
  }

  @Test
  void theSpotQuotaWithoutOnDemandFallbackIsQuota() throws Exception {
    fx = fixtures.open("fallback.onDemand = false");
    fx.fake.fail("RunInstances", "MaxSpotInstanceCountExceeded", 10);
    assertEquals(LaunchFailure.QUOTA, failureOf(POOL_A, Market.SPOT));
  }

  @Test
  void aCapReachedIsQuota() throws Exception {
    fx = fixtures.open("cap.hosts = 1", "fallback.onDemand = false");
    fx.provider.launch(new HostRequest(POOL_A, Market.SPOT));
    assertEquals(LaunchFailure.QUOTA, failureOf(POOL_A, Market.SPOT));
  }

  @Test
  void aFatalErrorIsOther() throws Exception {
    fx = fixtures.open();
    fx.fake.fail("RunInstances", "InvalidAMIID.NotFound", 1);
    assertEquals(LaunchFailure.OTHER, failureOf(POOL_A, Market.SPOT));
  }

  @Test
  void theClassArrivesOnTheAsynchronousResult() throws Exception {
    fx = fixtures.open("retry.attemptsPerPool = 1");
    fx.fake.fail("RunInstances", "InsufficientInstanceCapacity", 10);
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () -> fx.provider.start(new HostRequest(POOL_A, Market.SPOT)).result().join());
    assertTrue(e.getCause() instanceof HostLaunchException, String.valueOf(e.getCause()));
    assertEquals(LaunchFailure.NO_CAPACITY, ((HostLaunchException) e.getCause()).failure());
  }

  private LaunchFailure failureOf(io.spotnest.hosts.Pool pool, Market market) {
    return assertThrows(
            HostLaunchException.class, () -> fx.provider.launch(new HostRequest(pool, market)))
        .failure();
  }
}
