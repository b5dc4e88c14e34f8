package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.testbed.AgentChannelListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real live migrations of a running stand-in build between two libvirt hosts of the local testbed.
 */
@Tag("lab")
class LiveMigrationLabTest {

  @RegisterExtension static final LabFixture lab = new LabFixture(1024);

  @Test
  void a_running_build_moves_to_another_host_and_carries_on() throws Exception {
    AgentVmSpec vm = lab.startGuest("agent-live", 256, 8, 32);
    int conn = lab.connectionOf(vm.name());
    GuestStep before = lab.awaitStep(conn, 5);
    MigrationEngine engine = lab.engine();
    AtomicBoolean twoRunning = new AtomicBoolean();
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher = new Thread(() -> watchNeverTwice(vm.name(), watching, twoRunning));
    watcher.start();
    List<MigrationProgress> progress = new ArrayList<>();
    MigrationRequest req =
        new MigrationRequest(
            vm.name(),
            "hosta",
            "hostb",
            100L << 20,
            Instant.now().plus(Duration.ofSeconds(120)),
            MigrationSettings.defaults(),
            true);

    long startedAt = System.nanoTime();
    MigrationOutcome out =
        engine.migrate(
            req,
            new MigrationListener() {
              @Override
              public void onProgress(MigrationProgress p) {
                progress.add(p);
              }
            });
    long movedAt = System.nanoTime();
    long pauseMs = lab.pauseMs(conn, startedAt, movedAt);
    watching.set(false);
    watcher.join();

    assertTrue(out.success(), out.toString());
    assertEquals(java.util.Optional.of("hostb"), out.runningOn());
    assertFalse(twoRunning.get(), "the guest ran on both hosts at once");
    try (Hypervisor a = engine.connect("hosta");
        Hypervisor b = engine.connect("hostb")) {
      assertEquals(VmState.RUNNING, b.state(vm.name()));
      assertEquals(VmState.ABSENT, a.state(vm.name()));
    }
    assertTrue(out.downtime().toMillis() > 0, "downtime measured: " + out);
    // the same TCP connection carries new steps, the counter continued, the guest did not reboot
    GuestStep after = lab.awaitStepAfter(conn, movedAt, before.n() + 3);
    assertEquals(before.bootId(), after.bootId(), "same boot id: no reboot");
    assertTrue(after.uptime() > before.uptime(), "uptime continuous");
    assertEquals(
        1,
        lab.channel.connections().stream()
            .filter(
                c ->
                    lab.channel.linesOf(c.id()).stream()
                        .anyMatch(l -> l.text().contains("vm=" + vm.name())))
            .count(),
        "one connection for the whole build");
    List<GuestStep> steps = lab.steps(conn);
    for (int i = 1; i < steps.size(); i++) {
      assertEquals(
          steps.get(i - 1).n() + 1, steps.get(i).n(), "step counter continuous at " + steps.get(i));
    }
    // the workspace written before the move reads back intact after it, and writing goes on
    assertEquals(0, after.wsBad(), after.toString());
    assertTrue(
        after.wsWritten() > before.wsWritten() && after.wsVerified() == after.wsWritten(),
        after.toString());
    assertTrue(lab.channel.lines().stream().noneMatch(l -> l.text().contains("CONNECTION-LOST")));
    assertTrue(out.diskBytes() >= (4L << 20), "the overlay's written blocks were copied: " + out);
    System.out.println(
        "[live] "
            + out
            + "; pause_ms="
            + pauseMs
            + " (longest heartbeat gap); step gap across the move "
            + maxStepGapMs(conn)
            + " ms");
    assertTrue(
        pauseMs >= 10 && pauseMs < 30_000, "the build's pause across the move: " + pauseMs + " ms");
    assertTrue(
        lab.channel.heartbeats(conn).lastNanos().orElseThrow() > movedAt,
        "heartbeats go on after the move");
    try (Hypervisor b = engine.connect("hostb")) {
      b.remove(vm.name());
    }
  }

  @Test
  void a_deadline_the_plan_cannot_meet_is_refused_and_the_vm_stays() {
    AgentVmSpec vm = lab.startGuest("agent-refused", 256, 8, 32);
    lab.awaitStep(lab.connectionOf(vm.name()), 2);
    MigrationEngine engine = lab.engine();
    // 1 MiB/s of link for 256 MiB of RAM: no way within 5 s
    MigrationOutcome out =
        engine.migrate(
            new MigrationRequest(
                vm.name(),
                "hosta",
                "hostb",
                1L << 20,
                Instant.now().plus(Duration.ofSeconds(5)),
                MigrationSettings.defaults(),
                true),
            MigrationListener.NONE);
    assertFalse(out.success());
    assertEquals(FailureKind.PLAN_MISSES_DEADLINE, out.failure().orElseThrow());
    assertTrue(out.message().contains("deadline"), out.message());
    assertStillOnSourceOnly(engine, vm.name());
    removeFromSource(engine, vm.name());
  }

  @Test
  void a_migration_running_past_its_deadline_is_aborted_and_the_vm_keeps_running_on_the_source() {
    AgentVmSpec vm = lab.startGuest("agent-deadline", 256, 32, 64);
    int conn = lab.connectionOf(vm.name());
    lab.awaitStep(conn, 2);
    MigrationEngine engine = lab.engine();
    MigrationSettings slow =
        MigrationSettings.defaults().withBandwidthMiBps(4).withAutoConverge(false);
    MigrationOutcome out =
        engine.migrate(
            new MigrationRequest(
                vm.name(),
                "hosta",
                "hostb",
                100L << 20,
                Instant.now().plus(Duration.ofSeconds(4)),
                slow,
                false),
            MigrationListener.NONE);
    assertFalse(out.success(), out.toString());
    assertEquals(FailureKind.DEADLINE_EXCEEDED, out.failure().orElseThrow(), out.toString());
    assertEquals(java.util.Optional.of("hosta"), out.runningOn());
    assertStillOnSourceOnly(engine, vm.name());
    long last = lab.steps(conn).get(lab.steps(conn).size() - 1).n();
    lab.awaitStep(conn, last + 2); // still stepping on the source
    removeFromSource(engine, vm.name());
  }

  @Test
  void a_destination_without_room_is_refused_before_anything_starts() {
    AgentVmSpec vm = lab.startGuest("agent-noroom", 256, 0, 8);
    lab.awaitStep(lab.connectionOf(vm.name()), 1);
    MigrationEngine small =
        new MigrationEngine(
            List.of(lab.endpoint(1), lab.endpoint(2, 192)),
            new MigrationPlanner(0.8, Duration.ofMillis(500)));
    MigrationException e =
        assertThrows(
            MigrationException.class,
            () ->
                small.migrate(
                    new MigrationRequest(
                        vm.name(),
                        "hosta",
                        "hostb",
                        100L << 20,
                        Instant.now().plus(Duration.ofSeconds(60)),
                        MigrationSettings.defaults(),
                        true),
                    MigrationListener.NONE));
    assertEquals(FailureKind.NO_ROOM, e.kind());
    assertTrue(
        e.getMessage().contains("hostb") && e.getMessage().contains("256 MiB"), e.getMessage());
    try (Hypervisor b = small.connect("hostb")) {
      assertFalse(b.volumeExists(vm.overlayName()), "nothing was created on the destination");
    }
    assertStillOnSourceOnly(small, vm.name());
    removeFromSource(small, vm.name());
  }

  @Test
  void unknown_hosts_and_absent_vms_are_refused_with_clear_errors() {
    MigrationEngine engine = lab.engine();
    MigrationException unknown =
        assertThrows(
            MigrationException.class,
            () ->
                engine.migrate(
                    new MigrationRequest(
                        "agent-x",
                        "hosta",
                        "hostz",
                        1L << 20,
                        Instant.now().plus(Duration.ofSeconds(5)),
                        MigrationSettings.defaults(),
                        true),
                    MigrationListener.NONE));
    assertEquals(FailureKind.INVALID_REQUEST, unknown.kind());
    assertTrue(
        unknown.getMessage().contains("unknown destination host 'hostz'"), unknown.getMessage());
    MigrationException absent =
        assertThrows(
            MigrationException.class,
            () ->
                engine.migrate(
                    new MigrationRequest(
                        "agent-absent",
                        "hosta",
                        "hostb",
                        1L << 20,
                        Instant.now().plus(Duration.ofSeconds(5)),
                        MigrationSettings.defaults(),
                        true),
                    MigrationListener.NONE));
    assertEquals(FailureKind.VM_NOT_RUNNING, absent.kind());
  }

  /**
   * The VM runs on the source, and within a minute nothing of it is on the destination (a run that
   * ended while libvirt's call still held the destination cleans it once the call returns).
   */
  static void assertStillOnSourceOnly(MigrationEngine engine, String vm) {
    try (Hypervisor a = engine.connect("hosta");
        Hypervisor b = engine.connect("hostb")) {
      assertEquals(VmState.RUNNING, a.state(vm));
      long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while ((b.state(vm) != VmState.ABSENT || b.volumeExists(vm + ".qcow2"))
          && System.nanoTime() < until) {
        try {
          Thread.sleep(250);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      assertEquals(VmState.ABSENT, b.state(vm));
      assertFalse(b.volumeExists(vm + ".qcow2"), "no overlay left on the destination");
      assertEquals(VmState.RUNNING, a.state(vm), "and the source still runs it");
    }
  }

  static void removeFromSource(MigrationEngine engine, String vm) {
    try (Hypervisor a = engine.connect("hosta")) {
      a.remove(vm);
    }
  }

  private void watchNeverTwice(String vm, AtomicBoolean watching, AtomicBoolean twoRunning) {
    MigrationEngine engine = lab.engine();
    try (Hypervisor a = engine.connect("hosta");
        Hypervisor b = engine.connect("hostb")) {
      while (watching.get()) {
        if (a.state(vm) == VmState.RUNNING && b.state(vm) == VmState.RUNNING) {
          twoRunning.set(true);
        }
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static long maxStepGapMs(int conn) {
    List<AgentChannelListener.Line> ls =
        lab.channel.linesOf(conn).stream().filter(l -> l.text().startsWith("STEP ")).toList();
    long max = 0;
    for (int i = 1; i < ls.size(); i++) {
      max = Math.max(max, (ls.get(i).receivedNanos() - ls.get(i - 1).receivedNanos()) / 1_000_000);
    }
    return max;
  }
}
