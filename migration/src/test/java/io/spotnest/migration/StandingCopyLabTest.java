package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.testbed.LinkShape;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A notice shorter than a cold migration needs, on a slow link, for a guest that dirties memory
 * faster than the link moves it: without a standing copy the VM stays on the doomed source; with
 * one it survives on the backup.
 */
@Tag("lab")
class StandingCopyLabTest {

  @RegisterExtension static final LabFixture lab = new LabFixture(1024);

  static final int LINK_MBIT = 80;
  static final long LINK_BYTES_S = LINK_MBIT * 1_000_000L / 8;
  static final int DIRTY_MIB_S = 16;
  static final int WSS_MIB = 16;
  static final Duration NOTICE = Duration.ofSeconds(10);

  @Test
  void with_a_standing_copy_a_short_notice_is_survived_on_the_backup_and_without_one_it_is_not()
      throws Exception {
    lab.testbed.shape(lab.testbed.host(1), new LinkShape(LINK_MBIT, 0));
    AgentVmSpec vm = lab.startGuest("agent-standing", 256, DIRTY_MIB_S, WSS_MIB);
    int conn = lab.connectionOf(vm.name());
    lab.awaitStep(conn, 3);
    MigrationEngine engine = lab.engine();
    MigrationSettings settings = MigrationSettings.defaults().withAutoConverge(false);
    double idleRate = stepsPerSecond(conn, Duration.ofSeconds(8));

    // without a standing copy: a cold pre-copy against the same notice
    long coldStart = System.nanoTime();
    MigrationOutcome cold =
        engine.migrate(
            new MigrationRequest(
                vm.name(),
                "hosta",
                "hostb",
                LINK_BYTES_S,
                Instant.now().plus(NOTICE),
                settings,
                false),
            MigrationListener.NONE);
    double coldSeconds = (System.nanoTime() - coldStart) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "[standing] WITHOUT a standing copy, notice %d s: %s (%.1f s)%n",
        NOTICE.toSeconds(),
        cold,
        coldSeconds);
    assertFalse(cold.success(), cold.toString());
    assertEquals(Optional.of("hosta"), cold.runningOn(), cold.toString());
    LiveMigrationLabTest.assertStillOnSourceOnly(engine, vm.name());

    // with one: the stream stands, then the same notice
    GuestStep before = lab.awaitStepAfter(conn, System.nanoTime(), 0);
    AtomicBoolean watching = new AtomicBoolean(true);
    AtomicBoolean twoRunning = new AtomicBoolean();
    Thread watcher = new Thread(() -> watchNeverTwice(engine, vm.name(), watching, twoRunning));
    watcher.start();
    StandingCopyHandle copy =
        engine.keepStandingCopy(
            new StandingCopyRequest(vm.name(), "hosta", "hostb", LINK_BYTES_S, settings),
            MigrationListener.NONE);
    long until = System.nanoTime() + 150_000_000_000L;
    while (copy.lastProgress().map(p -> p.iteration() < 3).orElse(true)
        && !copy.outcome().isDone()
        && System.nanoTime() < until) {
      Thread.sleep(200);
    }
    assertEquals(
        StandingCopyHandle.State.STANDING,
        copy.state(),
        "the stream stands after its first passes: " + copy.lastProgress());
    double standingRate = stepsPerSecond(conn, Duration.ofSeconds(10));
    assertFalse(copy.outcome().isDone(), "the standing copy did not switch over on its own");
    MigrationProgress standing = copy.lastProgress().orElseThrow();
    long avg = copy.averageBytesPerSecond();
    long recent = copy.recentBytesPerSecond();

    Instant notice = Instant.now();
    long flushStart = System.nanoTime();
    MigrationOutcome out =
        copy.flush(notice.plus(NOTICE)).get(NOTICE.toSeconds() + 90, TimeUnit.SECONDS);
    double flushSeconds = (System.nanoTime() - flushStart) / 1e9;
    long movedAt = System.nanoTime();
    watching.set(false);
    watcher.join();
    System.out.printf(
        Locale.ROOT,
        "[standing] WITH a standing copy, notice %d s: %s (flush %.1f s)%n",
        NOTICE.toSeconds(),
        out,
        flushSeconds);
    System.out.printf(
        Locale.ROOT,
        "[standing] link %d Mbit/s, guest dirties %d MiB/s over %d MiB; standing stream "
            + "avg %.1f MiB/s, recent %.1f MiB/s, last sample %s; guest steps/s %.2f before, %.2f while standing%n",
        LINK_MBIT,
        DIRTY_MIB_S,
        WSS_MIB,
        avg / 1048576.0,
        recent / 1048576.0,
        standing,
        idleRate,
        standingRate);

    assertTrue(out.success(), out.toString());
    assertEquals(Optional.of("hostb"), out.runningOn());
    assertTrue(
        flushSeconds <= NOTICE.toSeconds(), "flushed within the notice: " + flushSeconds + " s");
    assertFalse(twoRunning.get(), "the guest ran on both hosts at once");
    try (Hypervisor a = engine.connect("hosta");
        Hypervisor b = engine.connect("hostb")) {
      assertEquals(VmState.RUNNING, b.state(vm.name()));
      assertEquals(VmState.ABSENT, a.state(vm.name()));
    }
    GuestStep after = lab.awaitStepAfter(conn, movedAt, before.n() + 3);
    assertEquals(before.bootId(), after.bootId(), "same boot id: no reboot");
    assertTrue(after.uptime() > before.uptime(), "uptime continuous");
    List<GuestStep> steps = lab.steps(conn);
    for (int i = 1; i < steps.size(); i++) {
      assertEquals(
          steps.get(i - 1).n() + 1, steps.get(i).n(), "step counter continuous at " + steps.get(i));
    }
    assertEquals(
        1,
        lab.channel.connections().stream()
            .filter(
                c ->
                    lab.channel.linesOf(c.id()).stream()
                        .anyMatch(l -> l.text().contains("vm=" + vm.name())))
            .count(),
        "one connection for the whole build");
    assertEquals(0, after.wsBad(), after.toString());
    assertTrue(
        after.wsWritten() > before.wsWritten() && after.wsVerified() == after.wsWritten(),
        after.toString());
    assertTrue(lab.channel.lines().stream().noneMatch(l -> l.text().contains("CONNECTION-LOST")));
    System.out.println(
        "[standing] longest gap between steps, whole test " + maxStepGapMs(conn) + " ms");
    try (Hypervisor b = engine.connect("hostb")) {
      b.remove(vm.name());
    }
  }

  /** STEP lines received on the connection per second over the next {@code window}. */
  private static double stepsPerSecond(int conn, Duration window) throws InterruptedException {
    long from = System.nanoTime();
    Thread.sleep(window.toMillis());
    long to = System.nanoTime();
    long n =
        lab.channel.linesOf(conn).stream()
            .filter(
                l ->
                    l.text().startsWith("STEP ")
                        && l.receivedNanos() > from
                        && l.receivedNanos() <= to)
            .count();
    return n / ((to - from) / 1e9);
  }

  private static long maxStepGapMs(int conn) {
    List<Long> at =
        lab.channel.linesOf(conn).stream()
            .filter(l -> l.text().startsWith("STEP "))
            .map(l -> l.receivedNanos())
            .toList();
    long max = 0;
    for (int i = 1; i < at.size(); i++) {
      max = Math.max(max, (at.get(i) - at.get(i - 1)) / 1_000_000);
    }
    return max;
  }

  private static void watchNeverTwice(
      MigrationEngine engine, String vm, AtomicBoolean watching, AtomicBoolean twoRunning) {
    try (Hypervisor a = engine.connect("hosta");
        Hypervisor b = engine.connect("hostb")) {
      while (watching.get()) {
        if (a.state(vm) == VmState.RUNNING && b.state(vm) == VmState.RUNNING) {
          twoRunning.set(true);
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
