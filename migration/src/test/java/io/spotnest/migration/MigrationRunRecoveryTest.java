package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a run does after libvirt's call ends badly, against fake hosts. */
class MigrationRunRecoveryTest {

  final FakeCluster cluster = new FakeCluster("a", "b");
  final FakeHypervisor a = cluster.host("a");
  final FakeHypervisor b = cluster.host("b");
  final TestClock clock = new TestClock();
  // short call and settle timeouts: a host that does not answer is looked at again for 500 ms
  final MigrationEngine engine = cluster.engine(clock, Duration.ofSeconds(60));

  @AfterEach
  void release() {
    cluster.releaseAll();
  }

  MigrationRequest request(String vm) {
    return MigrationEngineTest.request(vm, clock.instant().plus(Duration.ofMinutes(1)));
  }

  @Test
  void
      a_call_that_fails_after_the_destination_resumed_keeps_the_destination_and_never_resumes_the_source() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script =
        vm -> {
          // libvirt's Finish resumed the destination; the Confirm step on the source then failed
          b.vm(vm).status = VmStatus.of(VmState.RUNNING, VmStatus.Reason.MIGRATED);
          a.vm(vm).status = VmStatus.of(VmState.PAUSED, VmStatus.Reason.MIGRATION);
          throw new MigrationException(FailureKind.HYPERVISOR_ERROR, "confirm failed (fake)");
        };

    MigrationOutcome out = engine.migrate(request("vm"), MigrationListener.NONE);

    assertFalse(
        a.called("resume", "vm"), "the source was resumed while the destination ran: " + a.log());
    assertEquals(VmState.RUNNING, b.state("vm"), "the destination's copy was destroyed");
    assertEquals(VmState.ABSENT, a.state("vm"), "the source's stale copy stays behind");
    assertEquals(Optional.of("b"), out.runningOn(), out.toString());
    assertTrue(out.success(), out.toString());
  }

  @Test
  void a_failure_with_the_destination_unreachable_and_the_source_paused_resumes_nothing() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script =
        vm -> {
          a.vm(vm).status = VmStatus.of(VmState.PAUSED, VmStatus.Reason.MIGRATION);
          b.reachable(false);
          throw new MigrationException(
              FailureKind.HYPERVISOR_ERROR, "connection to the destination lost (fake)");
        };

    MigrationOutcome out = engine.migrate(request("vm"), MigrationListener.NONE);

    assertFalse(a.called("resume", "vm"), "resumed while the destination might run it: " + a.log());
    assertEquals(VmState.PAUSED, a.state("vm"));
    assertFalse(out.success());
    assertEquals(Optional.of(FailureKind.HOST_FAILED), out.failure(), out.toString());
    assertEquals(Optional.empty(), out.runningOn(), out.toString());
    assertTrue(out.message().contains("left to reconciliation"), out.message());
  }

  @Test
  void
      a_failed_pre_copy_with_the_source_paused_and_the_destination_reachable_resumes_the_source_and_cleans_up() {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script =
        vm -> {
          a.vm(vm).status = VmStatus.of(VmState.PAUSED, VmStatus.Reason.MIGRATION);
          throw new MigrationException(FailureKind.HYPERVISOR_ERROR, "QEMU failed (fake)");
        };

    MigrationOutcome out = engine.migrate(request("vm"), MigrationListener.NONE);

    assertEquals(Optional.of("a"), out.runningOn(), out.toString());
    assertEquals(Optional.of(FailureKind.HYPERVISOR_ERROR), out.failure(), out.toString());
    assertEquals(VmState.RUNNING, a.state("vm"));
    assertEquals(VmState.ABSENT, b.state("vm"));
    assertFalse(b.hasVolume("vm.qcow2"));
  }
}
