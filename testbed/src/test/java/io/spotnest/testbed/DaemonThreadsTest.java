package io.spotnest.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DaemonThreadsTest {
  @Test
  void theFactoryMakesUnstartedDaemonsWithTheGivenName() {
    Thread made = DaemonThreads.named("spotnest-factory").newThread(() -> {});
    assertEquals("spotnest-factory", made.getName());
    assertTrue(made.isDaemon() && made.getState() == Thread.State.NEW);
  }

  @Test
  void startRunsTheBodyOnANamedDaemon() throws InterruptedException {
    CountDownLatch ran = new CountDownLatch(1);
    Thread started = DaemonThreads.start("spotnest-started", ran::countDown);
    assertTrue(ran.await(10, TimeUnit.SECONDS), "the body did not run");
    assertTrue(started.isDaemon() && started.getName().equals("spotnest-started"));
  }
}
