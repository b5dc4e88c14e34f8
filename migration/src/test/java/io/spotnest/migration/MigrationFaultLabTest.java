package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The engine's guarantees under faults on the lab: the VM runs in exactly one place, nothing of it
 * is left elsewhere, and the caller's deadline is kept. Each test has a lab of its own (hosts are
 * killed and links cut).
 */
@Tag("lab")
class MigrationFaultLabTest {

  @RegisterExtension final LabFixture lab = new LabFixture(1024);

  /** A listener that opens the latch once the copy has sent {@code bytes}. */
  private static MigrationListener copied(long bytes, CountDownLatch latch) {
    return new MigrationListener() {
      @Override
      public void onProgress(MigrationProgress p) {
        if (p.memoryProcessed() > bytes) {
          latch.countDown();
        }
      }
    };
  }

  /**
   * 4 MiB/s and no auto-converge: a copy of a busy 256 MiB guest that runs for a minute or more.
   */
  private static MigrationSettings slow() {
    return MigrationSettings.defaults().withBandwidthMiBps(4).withAutoConverge(false);
  }

  @Test
  void a_source_host_lost_during_the_copy_is_reported_as_the_vm_lost_with_its_host()
      throws Exception {
    AgentVmSpec vm = lab.startGuest("agent-srclost", 256, 32, 64);
    lab.awaitStep(lab.connectionOf(vm.name()), 2);
    MigrationEngine engine = lab.engine();
    CountDownLatch copying = new CountDownLatch(1);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    MigrationHandle h =
        engine.start(
            new MigrationRequest(vm.name(), "hosta", "hostb", 100L << 20, deadline, slow(), false),
            copied(8L << 20, copying));
    assertTrue(copying.await(60, TimeUnit.SECONDS), "the copy never got going");
    RunningCopies copies = new RunningCopies(engine, List.of("hosta", "hostb"), vm.name());

    lab.testbed.killHost(lab.testbed.host(1)); // the reclamation: its daemon and the VM's QEMU die
    MigrationOutcome out = h.outcome().get(150, TimeUnit.SECONDS);
    Instant ended = Instant.now();
    copies.close();

    System.out.println("[srclost] " + out);
    assertFalse(out.success(), out.toString());
    assertEquals(Optional.of(FailureKind.HOST_FAILED), out.failure(), out.toString());
    assertEquals(Optional.empty(), out.runningOn(), out.toString());
    assertTrue(out.message().contains("lost with its source host hosta"), out.message());
    assertTrue(ended.isBefore(deadline), "the outcome came after the deadline: " + ended);
    assertTrue(copies.most(vm.name()) <= 1, "running copies at once: " + copies.most(vm.name()));
    lab.assertNothingOf(2, vm.name());
  }

  @Test
  void a_link_cut_during_pre_copy_is_aborted_by_the_deadline_and_the_vm_stays_on_the_source()
      throws Exception {
    AgentVmSpec vm = lab.startGuest("agent-linkcut", 256, 32, 64);
    int conn = lab.connectionOf(vm.name());
    lab.awaitStep(conn, 2);
    MigrationEngine engine = lab.engine();
    CountDownLatch copying = new CountDownLatch(1);
    // 25 s for the caller, so the engine aborts at 20 s (its 5 s safety margin)
    Instant deadline = Instant.now().plus(Duration.ofSeconds(25));
    MigrationHandle h =
        engine.start(
            new MigrationRequest(vm.name(), "hosta", "hostb", 100L << 20, deadline, slow(), false),
            copied(8L << 20, copying));
    assertTrue(copying.await(20, TimeUnit.SECONDS), "the copy never got going");
    RunningCopies copies = new RunningCopies(engine, List.of("hosta"), vm.name());
    lab.testbed.cutLink(lab.testbed.host(2));
    MigrationOutcome out;
    Instant ended;
    try {
      out = h.outcome().get(150, TimeUnit.SECONDS);
      ended = Instant.now();
    } finally {
      lab.testbed.restoreLink(lab.testbed.host(2));
      copies.close();
    }

    System.out.println(
        "[linkcut] "
            + out
            + "; returned "
            + Duration.between(deadline, ended).toMillis()
            + " ms after the caller's deadline");
    assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
    assertEquals(Optional.of("hosta"), out.runningOn(), out.toString());
    assertTrue(
        ended.isBefore(deadline),
        "the outcome came "
            + Duration.between(deadline, ended).toMillis()
            + " ms after the caller's deadline");
    assertEquals(1, copies.most(vm.name()), "the VM kept running on the source");
    try (Hypervisor a = engine.connect("hosta")) {
      assertEquals(VmState.RUNNING, a.state(vm.name()));
    }
    assertEquals(
        0,
        lab.awaitStep(conn, lab.lastStep(conn) + 2).wsBad(),
        "the build goes on, its workspace intact");
    assertTrue(out.message().contains("left to reconciliation"), out.message());
    // the link is back: once libvirt's call has ended, reconciliation (as the outcome says) leaves
    // nothing there
    awaitNothingOn(2, vm.name(), Duration.ofSeconds(150));
  }

  @Test
  void a_second_request_for_a_vm_being_moved_is_refused() throws Exception {
    AgentVmSpec vm = lab.startGuest("agent-twice", 256, 8, 32);
    lab.awaitStep(lab.connectionOf(vm.name()), 2);
    MigrationEngine engine = lab.engine();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(150));
    MigrationRequest req =
        new MigrationRequest(
            vm.name(), "hosta", "hostb", 100L << 20, deadline, MigrationSettings.defaults(), true);
    MigrationHandle first = engine.start(req, MigrationListener.NONE);

    MigrationException second =
        assertThrows(MigrationException.class, () -> engine.start(req, MigrationListener.NONE));
    MigrationException reverse =
        assertThrows(
            MigrationException.class,
            () ->
                engine.start(
                    new MigrationRequest(
                        vm.name(),
                        "hostb",
                        "hosta",
                        100L << 20,
                        deadline,
                        MigrationSettings.defaults(),
                        true),
                    MigrationListener.NONE));

    assertEquals(FailureKind.ALREADY_MIGRATING, second.kind(), second.getMessage());
    assertEquals(FailureKind.ALREADY_MIGRATING, reverse.kind(), reverse.getMessage());
    MigrationOutcome out = first.outcome().get(150, TimeUnit.SECONDS);
    System.out.println("[twice] " + out);
    assertTrue(out.success(), out.toString());
    assertTrue(Instant.now().isBefore(deadline));
    try (Hypervisor b = engine.connect("hostb")) {
      assertEquals(VmState.RUNNING, b.state(vm.name()));
    }
    lab.assertNothingOf(1, vm.name());
  }

  @Test
  void two_vms_leaving_one_host_over_one_link_both_arrive_one_at_a_time() throws Exception {
    AgentVmSpec one = lab.startGuest("agent-pair1", 192, 4, 16);
    AgentVmSpec two = lab.startGuest("agent-pair2", 192, 4, 16);
    lab.awaitStep(lab.connectionOf(one.name()), 2);
    lab.awaitStep(lab.connectionOf(two.name()), 2);
    MigrationEngine engine =
        lab.engine(
            EngineLimits.defaults().withMovesPerLink(1).withQueueWait(Duration.ofMinutes(3)));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(240));
    RunningCopies copies =
        new RunningCopies(engine, List.of("hosta", "hostb"), one.name(), two.name());

    MigrationHandle h1 =
        engine.start(
            new MigrationRequest(
                one.name(),
                "hosta",
                "hostb",
                100L << 20,
                deadline,
                MigrationSettings.defaults(),
                false),
            MigrationListener.NONE);
    MigrationHandle h2 =
        engine.start(
            new MigrationRequest(
                two.name(),
                "hosta",
                "hostb",
                100L << 20,
                deadline,
                MigrationSettings.defaults(),
                false),
            MigrationListener.NONE);
    MigrationOutcome o1 = h1.outcome().get(240, TimeUnit.SECONDS);
    MigrationOutcome o2 = h2.outcome().get(240, TimeUnit.SECONDS);
    copies.close();

    System.out.println("[pair] " + o1 + " / " + o2);
    assertTrue(o1.success(), o1.toString());
    assertTrue(o2.success(), o2.toString());
    assertEquals(
        1,
        copies.mostJobs("hosta"),
        "moves over the link at once (" + copies.samples() + " samples)");
    assertEquals(1, copies.most(one.name()), "running copies of " + one.name());
    assertEquals(1, copies.most(two.name()), "running copies of " + two.name());
    try (Hypervisor b = engine.connect("hostb")) {
      assertEquals(VmState.RUNNING, b.state(one.name()));
      assertEquals(VmState.RUNNING, b.state(two.name()));
    }
    lab.assertNothingOf(1, one.name());
    lab.assertNothingOf(1, two.name());
  }

  @Test
  void two_vms_leaving_one_host_at_the_default_limits_share_the_link_and_both_arrive()
      throws Exception {
    AgentVmSpec one = lab.startGuest("agent-duo1", 192, 4, 16);
    AgentVmSpec two = lab.startGuest("agent-duo2", 192, 4, 16);
    lab.awaitStep(lab.connectionOf(one.name()), 2);
    lab.awaitStep(lab.connectionOf(two.name()), 2);
    MigrationEngine engine =
        lab.engine(); // two moves per link: both start at once, preparing their overlays
    Instant deadline = Instant.now().plus(Duration.ofSeconds(240));
    RunningCopies copies =
        new RunningCopies(engine, List.of("hosta", "hostb"), one.name(), two.name());

    MigrationHandle h1 =
        engine.start(
            new MigrationRequest(
                one.name(),
                "hosta",
                "hostb",
                100L << 20,
                deadline,
                MigrationSettings.defaults(),
                false),
            MigrationListener.NONE);
    MigrationHandle h2 =
        engine.start(
            new MigrationRequest(
                two.name(),
                "hosta",
                "hostb",
                100L << 20,
                deadline,
                MigrationSettings.defaults(),
                false),
            MigrationListener.NONE);
    MigrationOutcome o1 = h1.outcome().get(240, TimeUnit.SECONDS);
    MigrationOutcome o2 = h2.outcome().get(240, TimeUnit.SECONDS);
    copies.close();

    System.out.println(
        "[duo] " + o1 + " / " + o2 + "; most jobs on hosta at once " + copies.mostJobs("hosta"));
    assertTrue(o1.success(), o1.toString());
    assertTrue(o2.success(), o2.toString());
    assertTrue(
        copies.mostJobs("hosta") <= 2, "moves over the link at once: " + copies.mostJobs("hosta"));
    assertEquals(1, copies.most(one.name()), "running copies of " + one.name());
    assertEquals(1, copies.most(two.name()), "running copies of " + two.name());
    lab.assertNothingOf(1, one.name());
    lab.assertNothingOf(1, two.name());
  }

  @Test
  void a_controller_killed_mid_migration_is_replaced_by_one_that_attaches_and_keeps_the_deadline()
      throws Exception {
    AgentVmSpec vm = lab.startGuest("agent-ctlkill", 256, 32, 64);
    int conn = lab.connectionOf(vm.name());
    lab.awaitStep(conn, 2);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(75));
    HypervisorEndpoint a = lab.endpoint(1);
    HypervisorEndpoint b = lab.endpoint(2);
    Process child =
        new ProcessBuilder(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ControllerChild.class.getName(),
                vm.name(),
                Long.toString(deadline.toEpochMilli()),
                a.name(),
                a.clientUri(),
                a.peerUri(),
                b.name(),
                b.clientUri(),
                b.peerUri())
            .redirectErrorStream(true)
            .start();
    java.util.UUID uuid;
    RunningCopies copies;
    try (java.io.BufferedReader out =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("COPYING")) {
        System.out.println("[child] " + line);
      }
      assertEquals("COPYING", line, "the child controller's copy never got going");
      child.destroyForcibly(); // SIGKILL: no clean-up of any kind
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    } finally {
      child.destroyForcibly();
    }
    MigrationEngine engine = lab.engine();
    copies = new RunningCopies(engine, List.of("hosta", "hostb"), vm.name());
    try (Hypervisor src = engine.connect("hosta")) {
      assertTrue(src.jobStats(vm.name()).active(), "libvirt's migration outlived its controller");
      uuid = src.uuid(vm.name()).orElseThrow();
    }

    MigrationOutcome out =
        engine
            .attach(vm.name(), uuid, 100L << 20, deadline, MigrationListener.NONE)
            .outcome()
            .get(150, TimeUnit.SECONDS);
    Instant ended = Instant.now();
    copies.close();

    System.out.println(
        "[ctlkill] "
            + out
            + "; ended "
            + Duration.between(ended, deadline).toMillis()
            + " ms before the caller's deadline");
    assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
    assertEquals(Optional.of("hosta"), out.runningOn(), out.toString());
    assertTrue(ended.isBefore(deadline), "the attached run ended after the deadline: " + out);
    assertEquals(
        1, copies.most(vm.name()), "running copies at once (" + copies.samples() + " samples)");
    assertEquals(
        0,
        lab.awaitStep(conn, lab.lastStep(conn) + 2).wsBad(),
        "the build goes on, its workspace intact");
    awaitNothingOn(2, vm.name(), Duration.ofSeconds(60));
  }

  private void awaitNothingOn(int host, String vm, Duration timeout) throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    MigrationRecovery recovery = new MigrationRecovery(List.of(lab.endpoint(1), lab.endpoint(2)));
    while (true) {
      try {
        System.out.println("[reconcile] " + recovery.reconcile(vm));
        lab.assertNothingOf(host, vm);
        return;
      } catch (AssertionError | RuntimeException e) {
        if (System.nanoTime() > until) {
          throw e;
        }
        Thread.sleep(2000);
      }
    }
  }
}
