package io.spotnest.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launch handle every provider shares: cancel stops the body and undoes its work exactly once.
 */
class AsyncLaunchTest {
  private static final Host HOST =
      new Host(
          "h-1",
          new Pool("c8i.2xlarge", "us-east-1a"),
          Market.SPOT,
          HostState.PENDING,
          URI.create("qemu+tls://10.0.0.1/system"),
          URI.create("qemu+tls://10.0.0.1/system"),
          Optional.of("10.0.0.1"),
          new HostCapacity(8, 16384, 100),
          "use1-az6",
          Optional.of(new BigDecimal("0.12")),
          Instant.parse("2026-11-23T12:00:00Z"));

  private final List<Host> undone = Collections.synchronizedList(new ArrayList<>());

  @Test
  void cancelWhileTheBodyRunsStopsItAndUndoesWhatItMayHaveCreated() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    AsyncLaunch launch =
        AsyncLaunch.start(
            "k",
            AsyncLaunch.threadPerLaunch(),
            self -> {
              running.countDown();
              while (!self.isCancelled()) {
                Thread.onSpinWait();
              }
              throw new CancellationException("stopped at the next step");
            },
            (self, host) -> undone.add(host));
    assertTrue(running.await(5, TimeUnit.SECONDS));
    launch.cancel();
    launch.cancel();
    assertThrows(CancellationException.class, () -> launch.result().get(5, TimeUnit.SECONDS));
    launch.undone().get(5, TimeUnit.SECONDS);
    assertEquals(Collections.singletonList(null), undone, "undone once, with no host known");
  }

  @Test
  void cancelAfterSuccessTerminatesTheHostOnce() throws Exception {
    AsyncLaunch launch =
        AsyncLaunch.start(
            "k", AsyncLaunch.threadPerLaunch(), self -> HOST, (self, host) -> undone.add(host));
    assertSame(HOST, launch.result().get(5, TimeUnit.SECONDS));
    launch.cancel();
    launch.cancel();
    launch.undone().get(5, TimeUnit.SECONDS);
    assertEquals(List.of(HOST), undone);
    assertEquals(HOST, launch.result().get(), "the result it had stays");
  }

  @Test
  void aFailureIsTheResultAndNothingIsUndoneWithoutACancel() throws Exception {
    AsyncLaunch launch =
        AsyncLaunch.start(
            "k",
            AsyncLaunch.threadPerLaunch(),
            self -> {
              throw new HostLaunchException("no capacity anywhere");
            },
            (self, host) -> undone.add(host));
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> launch.result().get(5, TimeUnit.SECONDS));
    assertEquals("no capacity anywhere", e.getCause().getMessage());
    assertTrue(launch.isFinished());
    assertFalse(launch.undone().isDone());
    assertTrue(undone.isEmpty());
  }
}
