package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * VMs are matched by UUID: a same-named domain that is another VM is never moved, resumed or
 * removed.
 */
class VmIdentityTest {

  final FakeCluster cluster = new FakeCluster("a", "b");
  final FakeHypervisor a = cluster.host("a");
  final FakeHypervisor b = cluster.host("b");
  final TestClock clock = new TestClock();
  final MigrationEngine engine =
      new MigrationEngine(
          cluster.endpoints(), new MigrationPlanner(0.8, Duration.ZERO), cluster, clock);
  final UUID ours = UUID.randomUUID();

  @AfterEach
  void release() {
    cluster.releaseAll();
  }

  MigrationRequest request() {
    return MigrationEngineTest.request("vm", clock.instant().plus(Duration.ofMinutes(1)))
        .withVmUuid(ours);
  }

  @Test
  void a_same_named_vm_with_another_uuid_is_not_moved() {
    a.put("vm", VmStatus.of(VmState.RUNNING), 256, UUID.randomUUID());

    MigrationException e =
        assertThrows(
            MigrationException.class, () -> engine.migrate(request(), MigrationListener.NONE));

    assertEquals(FailureKind.INVALID_REQUEST, e.kind());
    assertTrue(e.getMessage().contains(ours.toString()), e.getMessage());
    assertFalse(a.called("migrate", "vm"));
  }

  @Test
  void the_vm_with_the_requested_uuid_moves_and_keeps_it() {
    a.put("vm", VmStatus.of(VmState.RUNNING), 256, ours);

    MigrationOutcome out = engine.migrate(request(), MigrationListener.NONE);

    assertTrue(out.success(), out.toString());
    assertEquals(Optional.of(ours), b.uuid("vm"));
  }

  @Test
  void recovery_leaves_a_different_vm_of_the_same_name_alone() {
    a.put("vm", VmStatus.of(VmState.RUNNING), 256, ours).behaviour =
        FakeHypervisor.Behaviour.SCRIPTED;
    UUID other = UUID.randomUUID();
    a.script =
        vm -> {
          // the incoming copy is gone and another VM of the same name appeared on the destination
          b.remove(vm);
          b.put(vm, VmStatus.of(VmState.PAUSED, VmStatus.Reason.USER), 256, other);
          throw new MigrationException(FailureKind.HYPERVISOR_ERROR, "QEMU failed (fake)");
        };

    MigrationOutcome out = engine.migrate(request(), MigrationListener.NONE);

    assertEquals(Optional.of("a"), out.runningOn(), out.toString());
    assertEquals(
        1, b.log().stream().filter("remove vm"::equals).count(), "removed another VM: " + b.log());
    assertEquals(Optional.of(other), b.uuid("vm"));
    assertTrue(b.hasVolume("vm.qcow2"), "deleted the other VM's overlay");
    assertTrue(out.message().contains("different VM"), out.message());
  }

  @Test
  void reconciliation_by_uuid_ignores_a_different_vm_of_the_same_name() {
    a.put("vm", VmStatus.of(VmState.RUNNING), 256, ours);
    b.put("vm", VmStatus.of(VmState.SHUT_OFF), 256, UUID.randomUUID());

    MigrationRecovery.Result r =
        new MigrationRecovery(cluster.endpoints(), cluster).reconcile("vm", Optional.of(ours));

    assertEquals(Optional.of("a"), r.runningOn(), r.actions().toString());
    assertEquals(VmState.SHUT_OFF, b.state("vm"), "removed a different VM");
    assertTrue(
        r.actions().stream().anyMatch(s -> s.contains("different VM")), r.actions().toString());
  }
}
