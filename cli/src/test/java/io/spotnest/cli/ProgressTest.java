package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final StringWriter out = new StringWriter();
  private final AtomicLong nanos = new AtomicLong();

  private Progress progress(Duration heartbeat) {
    return new Progress(
        new PrintWriter(out), "simulate", nanos::get, Duration.ofSeconds(1), heartbeat);
  }

  private List<String> lines() {
    return out.toString().lines().toList();
  }

  @Test
  void stepsAreShownAtMostOncePerGapButTheLastAlways() {
    Progress p = progress(Duration.ofHours(1));
    p.phase("reading traces");
    for (int i = 1; i <= 10; i++) {
      p.step("trace", i, 10);
      nanos.addAndGet(300_000_000L);
    }
    // shown: 1 (first), 5 (1.2 s after 1), 9 (1.2 s after 5), 10 (last)
    assertEquals(
        List.of(
            "[simulate] reading traces",
            "[simulate] trace 1/10",
            "[simulate] trace 5/10",
            "[simulate] trace 9/10",
            "[simulate] trace 10/10"),
        lines());
  }

  @Test
  void finishedSaysHowLongItTook() {
    Progress p = progress(Duration.ofHours(1));
    nanos.addAndGet(2_500_000_000L);
    p.finished("simulated");
    assertEquals(List.of("[simulate] simulated in 2.5 s"), lines());
  }

  @Test
  void longWorkShowsAHeartbeat() {
    Progress p = progress(Duration.ofMillis(50));
    String result =
        p.during(
            "simulating",
            () -> {
              long until = System.nanoTime() + 400_000_000L;
              while (System.nanoTime() < until) {
                Thread.onSpinWait();
              }
              return "done";
            });
    assertEquals("done", result);
    List<String> lines = lines();
    assertEquals("[simulate] simulating ...", lines.get(0));
    assertTrue(
        lines.size() >= 3
            && lines.subList(1, lines.size()).stream()
                .allMatch(l -> l.startsWith("[simulate] still simulating (")),
        lines.toString());
    int shown = lines.size();
    sleep(200);
    assertEquals(shown, lines().size(), "the heartbeat stops with the work");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
