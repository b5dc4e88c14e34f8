package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reconciliation after a controller restart, against fake hosts. */
class MigrationRecoveryTest {

  final FakeCluster cluster = new FakeCluster("a", "b");
  final FakeHypervisor a = cluster.host("a");
  final FakeHypervisor b = cluster.host("b");
  final MigrationRecovery recovery = new MigrationRecovery(cluster.endpoints(), cluster);

  static VmStatus paused(VmStatus.Reason r) {
    return VmStatus.of(VmState.PAUSED, r);
  }

  @Test
  void an_overlay_left_without_its_domain_next_to_the_running_copy_is_removed() {
    // a destination daemon killed during a copy drops the incoming domain when it comes back, not
    // the overlay
    a.running("vm");
    b.createOverlay("vm.qcow2", 64L << 20, "/images/workspace-base.qcow2");

    MigrationRecovery.Result r = recovery.reconcile("vm");

    assertEquals(Optional.of("a"), r.runningOn(), r.actions().toString());
    assertFalse(b.hasVolume("vm.qcow2"), "the orphaned overlay is left on b");
    assertTrue(
        r.actions().contains("removed the leftover overlay vm.qcow2 on b"), r.actions().toString());
    assertTrue(a.hasVolume("vm.qcow2"), "the running copy's overlay is kept");
  }

  @Test
  void a_host_that_answers_the_state_but_not_the_job_is_in_flight_not_unreachable() {
    // the destination of a move that just ended: libvirt still holds the domain's job
    a.put("vm", VmStatus.of(VmState.SHUT_OFF, VmStatus.Reason.MIGRATED), 256);
    b.running("vm");
    b.progressFailure =
        new MigrationException(FailureKind.HOST_FAILED, "job statistics timed out (fake)");

    MigrationRecovery.Result r = recovery.reconcile("vm");

    assertTrue(r.migrationInFlight(), r.actions().toString());
    assertFalse(r.actions().toString().contains("unreachable"), r.actions().toString());
    assertEquals(VmState.RUNNING, b.state("vm"));
    b.progressFailure = null;
    assertEquals(Optional.of("b"), recovery.reconcile("vm").runningOn());
  }

  @Test
  void a_post_copy_paused_on_both_hosts_is_left_whole_for_a_post_copy_resume() {
    a.put("vm", paused(VmStatus.Reason.POSTCOPY_FAILED), 256);
    b.put("vm", VmStatus.of(VmState.RUNNING, VmStatus.Reason.POSTCOPY_FAILED), 256);

    MigrationRecovery.Result r = recovery.reconcile("vm");

    assertEquals(Optional.empty(), r.runningOn(), r.actions().toString());
    assertTrue(r.actions().toString().contains("post-copy resume"), r.actions().toString());
    assertEquals(paused(VmStatus.Reason.POSTCOPY_FAILED), a.status("vm"));
    assertEquals(VmStatus.of(VmState.RUNNING, VmStatus.Reason.POSTCOPY_FAILED), b.status("vm"));
    assertTrue(a.hasVolume("vm.qcow2") && b.hasVolume("vm.qcow2"), "an overlay was removed");
  }

  @Test
  void the_overlay_of_a_different_vm_of_the_same_name_is_never_removed() {
    a.running("vm");
    b.put(
        "vm",
        VmStatus.of(VmState.SHUT_OFF),
        256); // another VM (another UUID) that happens to share the name

    MigrationRecovery.Result r = recovery.reconcile("vm", a.uuid("vm"));

    assertEquals(Optional.of("a"), r.runningOn(), r.actions().toString());
    assertTrue(b.hasVolume("vm.qcow2"), "the other VM's overlay was removed");
    assertEquals(VmState.SHUT_OFF, b.state("vm"));
  }

  @Test
  void a_leftover_next_to_the_running_copy_is_removed() {
    a.running("vm");
    b.put("vm", VmStatus.of(VmState.SHUT_OFF), 256);

    MigrationRecovery.Result r = recovery.reconcile("vm");

    assertEquals(Optional.of("a"), r.runningOn(), r.actions().toString());
    assertTrue(r.actions().contains("removed the SHUT_OFF leftover on b"), r.actions().toString());
    assertEquals(VmState.ABSENT, b.state("vm"));
    assertEquals(VmState.RUNNING, a.state("vm"));
  }

  @Test
  void a_lone_copy_paused_by_a_user_is_resumed() {
    a.put("vm", paused(VmStatus.Reason.USER), 256);

    MigrationRecovery.Result r = recovery.reconcile("vm");

    assertEquals(Optional.of("a"), r.runningOn(), r.actions().toString());
    assertEquals(VmState.RUNNING, a.state("vm"));
  }

  @Test
  void a_paused_copy_is_not_resumed_while_another_host_cannot_be_reached() {
    a.put("vm", paused(VmStatus.Reason.MIGRATION), 256);
    b.reachable(false);

    MigrationRecovery.Result r = recovery.reconcile("vm");

    assertEquals(Optional.empty(), r.runningOn());
    assertFalse(a.called("resume", "vm"), "resumed while b might run the VM: " + a.log());
    assertEquals(VmState.PAUSED, a.state("vm"));
  }

  @Test
  void the_running_destination_is_kept_and_the_paused_source_removed_never_resumed() {
    a.put("vm", paused(VmStatus.Reason.POSTCOPY), 256);
    b.put("vm", VmStatus.of(VmState.RUNNING, VmStatus.Reason.MIGRATED), 256);

    MigrationRecovery.Result r = recovery.reconcile("vm");

    assertEquals(Optional.of("b"), r.runningOn());
    assertFalse(a.called("resume", "vm"));
    assertEquals(VmState.ABSENT, a.state("vm"));
  }

  @Test
  void two_paused_copies_of_a_broken_migration_are_left_alone_when_no_rule_tells_which_is_whole() {
    a.put("vm", paused(VmStatus.Reason.MIGRATION), 256);
    b.put("vm", paused(VmStatus.Reason.MIGRATION), 256);

    MigrationRecovery.Result r = recovery.reconcile("vm");

    assertEquals(Optional.empty(), r.runningOn());
    assertFalse(a.called("resume", "vm") || b.called("resume", "vm"));
    assertFalse(a.called("remove", "vm") || b.called("remove", "vm"));
  }
}
