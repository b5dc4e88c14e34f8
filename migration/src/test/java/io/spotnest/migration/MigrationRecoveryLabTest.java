package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.libvirt.Connect;

/** After a controller restart: the VM ends up running in exactly one place, leftovers removed. */
@Tag("lab")
class MigrationRecoveryLabTest {

  @RegisterExtension static final LabFixture lab = new LabFixture(1024);

  private MigrationRecovery recovery() {
    return new MigrationRecovery(List.of(lab.endpoint(1), lab.endpoint(2)));
  }

  @Test
  void an_incoming_copy_left_on_the_destination_is_removed_and_the_running_source_kept()
      throws Exception {
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
    assertTrue(
        r.actions().stream().anyMatch(s -> s.contains("SHUT_OFF leftover on hostb")),
        r.actions().toString());
    try (LibvirtHypervisor a = LibvirtHypervisor.connect(lab.endpoint(1));
        LibvirtHypervisor b = LibvirtHypervisor.connect(lab.endpoint(2))) {
      assertEquals(VmState.RUNNING, a.state(vm.name()));
      assertEquals(VmState.ABSENT, b.state(vm.name()));
      a.remove(vm.name());
    }
  }

  @Test
  void a_source_left_paused_with_no_copy_running_is_resumed_and_the_build_goes_on()
      throws Exception {
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

  @Test
  void a_migration_left_running_by_a_dead_controller_is_attached_and_its_deadline_enforced()
      throws Exception {
    AgentVmSpec vm = lab.startGuest("agent-attach", 256, 32, 64);
    int conn = lab.connectionOf(vm.name());
    lab.awaitStep(conn, 2);
    // 4 MiB/s and no auto-converge: the orphaned copy would run for minutes
    MigrationSettings slow =
        MigrationSettings.defaults().withBandwidthMiBps(4).withAutoConverge(false);
    try (LibvirtHypervisor a = LibvirtHypervisor.connect(lab.endpoint(1));
        LibvirtHypervisor b = LibvirtHypervisor.connect(lab.endpoint(2))) {
      UUID uuid = a.uuid(vm.name()).orElseThrow();
      DestinationDisk.prepare(a, b, vm.name());
      // what the dead controller left behind: libvirt's job, with nobody watching it
      CompletableFuture<Void> orphan =
          CompletableFuture.runAsync(() -> a.migrate(vm.name(), b.endpoint(), slow));
      long until = System.nanoTime() + 60_000_000_000L;
      while (!a.jobStats(vm.name()).active()) {
        assertTrue(System.nanoTime() < until, "the orphaned job never started");
        Thread.sleep(100);
      }
      a.setMaxSpeed(vm.name(), 2); // virDomainMigrateSetMaxSpeed through JNA on a running job
      System.out.println("[attach] source job operation=" + a.jobStats(vm.name()).operation());

      long t0 = System.nanoTime();
      MigrationOutcome out =
          lab.engine()
              .attach(
                  vm.name(),
                  uuid,
                  100L << 20,
                  Instant.now().plus(Duration.ofSeconds(10)),
                  MigrationListener.NONE)
              .outcome()
              .get(120, TimeUnit.SECONDS);
      long ms = (System.nanoTime() - t0) / 1_000_000;

      System.out.println("[attach] " + out + " after " + ms + " ms");
      assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
      assertEquals(Optional.of("hosta"), out.runningOn(), out.toString());
      // the orphaned copy alone would take minutes; the abort lands at 5 s (10 s less the 5 s
      // margin)
      assertTrue(ms < 15_000, "the deadline was enforced only after " + ms + " ms");
      assertThrows(
          ExecutionException.class,
          () -> orphan.get(60, TimeUnit.SECONDS),
          "the orphaned job went on");
      assertEquals(VmState.RUNNING, a.state(vm.name()));
      assertEquals(VmState.ABSENT, b.state(vm.name()));
      assertFalse(
          b.volumeExists(vm.overlayName()), "the incoming overlay stayed on the destination");
      long last = lab.steps(conn).get(lab.steps(conn).size() - 1).n();
      assertEquals(
          0, lab.awaitStep(conn, last + 2).wsBad(), "the build goes on, its workspace intact");
      a.remove(vm.name());
    }
  }
}
