package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A guest booted with its config disk on a real libvirt host, live-migrated: the read-only disk
 * (which libvirt does not copy) is on the destination byte for byte, the guest runs on, and nothing
 * of it is left on the source. The files are checked in the hosts' images directories, not through
 * the code under test.
 */
@Tag("lab")
class ConfigDiskLabTest {

  @RegisterExtension static final LabFixture lab = new LabFixture(1024);

  @Test
  void a_guest_moves_with_its_config_disk_and_leaves_nothing_behind() throws Exception {
    ConfigDisk disk = ConfigDiskTest.disk("labs3cr3t");
    String expected = sha256(disk.image());
    AgentVmSpec vm = lab.startGuest("agent-config", 256, 4, 16, disk);
    String volume = ConfigDisk.volumeName(vm.name());
    Path onA = lab.testbed.host(1).imagesDir().resolve(volume);
    Path onB = lab.testbed.host(2).imagesDir().resolve(volume);
    int conn = lab.connectionOf(vm.name());
    GuestStep before = lab.awaitStep(conn, 3);

    assertEquals(expected, sha256(Files.readAllBytes(onA)), "the config disk on the source");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(onA)));
    assertFalse(Files.exists(onB));
    try (LibvirtHypervisor a = LibvirtHypervisor.connect(lab.endpoint(1))) {
      assertEquals(Optional.of(volume), a.configVolume(vm.name()));
      String xml = a.domain(vm.name()).getXMLDesc(0);
      assertTrue(
          xml.matches(
              "(?s).*<disk[^>]*>(?:(?!</disk>).)*" + volume + "(?:(?!</disk>).)*<readonly/>.*"),
          xml);
    }

    MigrationOutcome out =
        lab.engine()
            .migrate(
                new MigrationRequest(
                    vm.name(),
                    "hosta",
                    "hostb",
                    100L << 20,
                    Instant.now().plus(Duration.ofSeconds(150)),
                    MigrationSettings.defaults(),
                    true),
                MigrationListener.NONE);
    long movedAt = System.nanoTime();

    assertTrue(out.success(), out.toString());
    assertEquals(Optional.of("hostb"), out.runningOn());
    assertEquals(expected, sha256(Files.readAllBytes(onB)), "the config disk on the destination");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(onB)));
    assertFalse(Files.exists(onA), "the config disk is left on the source");
    lab.assertNothingOf(1, vm.name());
    try (LibvirtHypervisor b = LibvirtHypervisor.connect(lab.endpoint(2))) {
      assertEquals(VmState.RUNNING, b.state(vm.name()));
      assertEquals(Optional.of(volume), b.configVolume(vm.name()));
    }
    GuestStep after = lab.awaitStepAfter(conn, movedAt, before.n() + 2);
    assertEquals(before.bootId(), after.bootId(), "no reboot");
    System.out.println(
        "[config-disk] "
            + out
            + "; sha256 "
            + expected.substring(0, 16)
            + "… on both sides, source clean");

    try (LibvirtHypervisor b = LibvirtHypervisor.connect(lab.endpoint(2))) {
      b.remove(vm.name());
    }
    assertFalse(Files.exists(onB), "removing the VM left its config disk");
    lab.assertNothingOf(2, vm.name());
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
