package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.testbed.AgentChannelListener;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Migrations that go wrong half-way, and post-copy: each with a lab of its own (a test kills a daemon). */
@Tag("lab")
class MigrationFailureLabTest {

  @RegisterExtension
  final LabFixture lab = new LabFixture(1024);

  @Test
  void killing_the_destination_daemon_during_the_copy_leaves_the_vm_running_on_the_source() throws Exception {
    AgentVmSpec vm = lab.startGuest("agent-dstkill", 256, 32, 64);
    int conn = lab.connectionOf(vm.name());
    lab.awaitStep(conn, 2);
    MigrationEngine engine = lab.engine();
    CountDownLatch copying = new CountDownLatch(1);
    // 4 MiB/s and no auto-converge: the copy takes long enough to kill the destination in the middle of it
    MigrationSettings slow = MigrationSettings.defaults().withBandwidthMiBps(4).withAutoConverge(false);
    CompletableFuture<MigrationOutcome> run = CompletableFuture.supplyAsync(() -> engine.migrate(
        new MigrationRequest(vm.name(), "hosta", "hostb", 100L << 20, Instant.now().plus(Duration.ofSeconds(120)), slow, false),
        new MigrationListener() {
          @Override
          public void onProgress(MigrationProgress p) {
            if (p.memoryProcessed() > (8L << 20)) {
              copying.countDown();
            }
          }
        }));
    assertTrue(copying.await(60, TimeUnit.SECONDS), "the copy never got going");
    lab.testbed.killDaemon(lab.testbed.host(2));

    MigrationOutcome out = run.get(120, TimeUnit.SECONDS);

    assertFalse(out.success(), out.toString());
    assertEquals(FailureKind.HOST_FAILED, out.failure().orElseThrow(), out.toString());
    assertTrue(out.message().contains("destination hostb failed"), out.message());
    assertEquals(java.util.Optional.of("hosta"), out.runningOn());
    try (Hypervisor a = engine.connect("hosta")) {
      assertEquals(VmState.RUNNING, a.state(vm.name()));
    }
    long last = lab.steps(conn).get(lab.steps(conn).size() - 1).n();
    GuestStep later = lab.awaitStep(conn, last + 2);
    assertEquals(0, later.wsBad(), "the workspace on the source is intact");
    assertEquals(1, lab.channel.connections().size(), "the build kept its one connection");
  }

  @Test
  void post_copy_moves_a_guest_that_pre_copy_cannot_converge_on() throws Exception {
    AgentVmSpec vm = lab.startGuest("agent-postcopy", 256, 48, 64);
    int conn = lab.connectionOf(vm.name());
    GuestStep before = lab.awaitStep(conn, 3);
    MigrationEngine engine = lab.engine();
    MigrationSettings settings = MigrationSettings.defaults().withBandwidthMiBps(16).withAutoConverge(false)
        .withPostCopy(PostCopyPolicy.after(Duration.ofSeconds(3)));
    TuningChoice choice = engine.plan(new MigrationRequest(vm.name(), "hosta", "hostb", 100L << 20,
        Instant.now().plus(Duration.ofSeconds(120)), settings, true));
    assertEquals(Tuning.POST_COPY, choice.tuning(), choice.toString());
    assertTrue(choice.plan().usesPostCopy(), choice.toString());

    MigrationOutcome out = engine.migrate(new MigrationRequest(vm.name(), "hosta", "hostb", 100L << 20,
        Instant.now().plus(Duration.ofSeconds(120)), settings, true), MigrationListener.NONE);

    assertTrue(out.success(), out.toString());
    assertTrue(out.postCopy(), out.toString());
    assertEquals(Tuning.POST_COPY, out.tuning(), out.toString());
    long movedAt = System.nanoTime();
    AgentChannelListener.Line l = lab.channel.await(x -> x.connection() == conn && x.receivedNanos() > movedAt
        && GuestStep.parse(x.text()).isPresent(), Duration.ofSeconds(60)).orElseThrow();
    GuestStep after = GuestStep.parse(l.text()).orElseThrow();
    assertEquals(before.bootId(), after.bootId());
    assertEquals(0, after.wsBad());
    try (Hypervisor a = engine.connect("hosta"); Hypervisor b = engine.connect("hostb")) {
      assertEquals(VmState.RUNNING, b.state(vm.name()));
      assertEquals(VmState.ABSENT, a.state(vm.name()));
    }
    System.out.println("[postcopy] " + out);
  }
}
