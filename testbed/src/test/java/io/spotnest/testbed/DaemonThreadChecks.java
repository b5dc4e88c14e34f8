package io.spotnest.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What each module's {@code DaemonThreads} must do, checked by its own test: hosts, migration and
 * the lab keep one each (the plugin packages hosts without the lab, and migration has the lab only
 * in its tests), so the check is here, in the test-jar they all have.
 */
public final class DaemonThreadChecks {
  private DaemonThreadChecks() {}

  /**
   * {@code named}'s factory makes unstarted daemons with the given name, and {@code start} runs the
   * body on a daemon so named.
   */
  public static void check(
      Function<String, ThreadFactory> named, BiFunction<String, Runnable, Thread> start)
      throws InterruptedException {
    Thread made = named.apply("spotnest-factory").newThread(() -> {});
    assertEquals("spotnest-factory", made.getName());
    assertTrue(made.isDaemon() && made.getState() == Thread.State.NEW);

    CountDownLatch ran = new CountDownLatch(1);
    Thread started = start.apply("spotnest-started", ran::countDown);
    assertTrue(ran.await(10, TimeUnit.SECONDS), "the body did not run");
    assertTrue(started.isDaemon() && started.getName().equals("spotnest-started"));
  }
}
