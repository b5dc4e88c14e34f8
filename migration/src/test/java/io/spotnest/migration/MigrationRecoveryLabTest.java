package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.libvirt.Connect;

/** After a controller restart: the VM ends up running in exactly one place, leftovers removed. */
@Tag("lab")
class MigrationRecoveryLabTest {

  @RegisterExtension
  static final LabFixture lab = new LabFixture(1024);

  private MigrationRecovery recovery() {
    return new MigrationRecovery(List.of(lab.endpoint(1), lab.endpoint(2)));
  }

  @Test
  void an_incoming_copy_left_on_the_destination_is_removed_and_the_running_source_kept() throws Exception {
    AgentVmSpec vm = lab.startGuest("agent-leftover", 256, 0, 8);
    int conn = lab.connectionOf(vm.name());
    lab.awaitStep(conn, 1);
    // what a crash can leave behind on the destination: the VM defined there but not running
    try (LibvirtHypervisor a = LibvirtHypervisor.connect(lab.endpoint(1))) {
      String xml = a.domain(vm.name()).getXMLDesc(0);
      Connect b = new Connect(lab.endpoint(2).clientUri());
      b.domainDefineXML(xml);
      b.close();
    }

    MigrationRecovery.Result r = recovery().reconcile(vm.name());

    assertEquals(Optional.of("hosta"), r.runningOn());
    assertTrue(r.actions().stream().anyMatch(s -> s.contains("SHUT_OFF leftover on hostb")), r.actions().toString());
    try (LibvirtHypervisor a = LibvirtHypervisor.connect(lab.endpoint(1));
         LibvirtHypervisor b = LibvirtHypervisor.connect(lab.endpoint(2))) {
      assertEquals(VmState.RUNNING, a.state(vm.name()));
      assertEquals(VmState.ABSENT, b.state(vm.name()));
      a.remove(vm.name());
    }
  }

  @Test
  void a_source_left_paused_with_no_copy_running_is_resumed_and_the_build_goes_on() throws Exception {
    AgentVmSpec vm = lab.startGuest("agent-paused", 256, 0, 8);
    int conn = lab.connectionOf(vm.name());
    lab.awaitStep(conn, 1);
    try (LibvirtHypervisor a = LibvirtHypervisor.connect(lab.endpoint(1))) {
      a.domain(vm.name()).suspend();
      assertEquals(VmState.PAUSED, a.state(vm.name()));
    }
    long stepAtPause = lab.steps(conn).get(lab.steps(conn).size() - 1).n();

    MigrationRecovery.Result r = recovery().reconcile(vm.name());

    assertEquals(Optional.of("hosta"), r.runningOn());
    assertFalse(r.migrationInFlight());
    assertTrue(r.actions().contains("resumed the paused copy on hosta"), r.actions().toString());
    lab.awaitStep(conn, stepAtPause + 2);
    try (LibvirtHypervisor a = LibvirtHypervisor.connect(lab.endpoint(1))) {
      a.remove(vm.name());
    }
  }
}
