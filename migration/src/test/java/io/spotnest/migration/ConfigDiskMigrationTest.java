package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An agent VM's read-only config disk across a migration, against fake hosts: libvirt copies only
 * writable disks, so the destination preparation copies the config volume (verified) and every
 * cleanup removes it with the rest.
 */
class ConfigDiskMigrationTest {

  static final String VOLUME = ConfigDisk.volumeName("vm");
  final FakeCluster cluster = new FakeCluster("a", "b");
  final FakeHypervisor a = cluster.host("a");
  final FakeHypervisor b = cluster.host("b");
  final TestClock clock = new TestClock();
  final MigrationEngine engine =
      new MigrationEngine(
          cluster.endpoints(), new MigrationPlanner(0.8, Duration.ZERO), cluster, clock);
  final ConfigDisk disk = ConfigDiskTest.disk("s3cr3tvalue");

  @AfterEach
  void release() {
    cluster.releaseAll();
  }

  static AgentVmSpec spec() {
    return new AgentVmSpec(
        "vm",
        256,
        1,
        "/img/vmlinuz",
        "/img/initramfs.cpio.gz",
        "console=ttyS0 sn.config=/dev/vdb",
        "/img/agent-root.qcow2",
        64,
        "52:54:00:00:00:01",
        "br0",
        AgentVmSpec.DEFAULT_MTU,
        false);
  }

  MigrationOutcome migrate() {
    return engine.migrate(
        MigrationEngineTest.request("vm", clock.instant().plus(Duration.ofMinutes(1))),
        MigrationListener.NONE);
  }

  @Test
  void a_vm_starts_with_its_config_volume_attached() {
    a.start(spec(), disk);

    assertEquals(Optional.of(VOLUME), a.configVolume("vm"));
    assertArrayEquals(disk.image(), a.content(VOLUME));
  }

  @Test
  void a_migration_copies_the_config_volume_and_leaves_none_on_the_source() {
    a.start(spec(), disk);

    MigrationOutcome out = migrate();

    assertTrue(out.success(), out.toString());
    assertEquals(Optional.of("b"), out.runningOn());
    assertArrayEquals(disk.image(), b.content(VOLUME), "the destination's config disk differs");
    assertEquals(Optional.of(VOLUME), b.configVolume("vm"));
    assertFalse(a.hasVolume(VOLUME), "the config volume is left on the source");
    assertFalse(a.hasVolume("vm.qcow2"));
  }

  @Test
  void a_stale_config_volume_on_the_destination_is_replaced() {
    a.start(spec(), disk);
    b.createRawVolume(VOLUME, "old".getBytes(StandardCharsets.US_ASCII));

    assertTrue(migrate().success());

    assertArrayEquals(disk.image(), b.content(VOLUME));
  }

  @Test
  void a_copy_that_differs_on_the_destination_fails_the_move_and_leaves_nothing_there() {
    a.start(spec(), disk);
    b.corruptsWrites = true;

    MigrationOutcome out = migrate();

    assertFalse(out.success(), out.toString());
    assertEquals(Optional.of("a"), out.runningOn());
    assertTrue(out.message().contains(VOLUME), out.message());
    assertFalse(out.toString().contains("s3cr3tvalue"), out.toString());
    assertFalse(a.called("migrate", "vm"), "the migration started with a bad copy");
    assertFalse(b.hasVolume(VOLUME), "the bad copy is left on the destination");
    assertFalse(b.hasVolume("vm.qcow2"));
    assertArrayEquals(disk.image(), a.content(VOLUME));
  }

  @Test
  void a_migration_that_fails_after_the_copy_removes_the_config_volume_from_the_destination() {
    a.start(spec(), disk);
    a.behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script =
        vm -> {
          throw new MigrationException(
              FailureKind.HYPERVISOR_ERROR, "QEMU exited on the destination (fake)");
        };

    MigrationOutcome out = migrate();

    assertFalse(out.success(), out.toString());
    assertEquals(Optional.of("a"), out.runningOn());
    assertFalse(b.hasVolume(VOLUME), "the config volume is left on the destination");
    assertArrayEquals(disk.image(), a.content(VOLUME), "the source's config disk was touched");
  }

  @Test
  void reconciliation_removes_a_config_volume_left_without_its_domain() {
    a.start(spec(), disk);
    b.createRawVolume(VOLUME, disk.image());

    MigrationRecovery.Result r =
        new MigrationRecovery(cluster.endpoints(), cluster).reconcile("vm");

    assertEquals(Optional.of("a"), r.runningOn(), r.actions().toString());
    assertFalse(b.hasVolume(VOLUME), r.actions().toString());
    assertTrue(a.hasVolume(VOLUME));
  }
}
