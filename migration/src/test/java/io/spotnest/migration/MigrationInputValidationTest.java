package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class MigrationInputValidationTest {

  private static void refused(String field, Executable e) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    assertTrue(
        ex.getMessage().contains(field), "message should name " + field + ": " + ex.getMessage());
  }

  @Test
  void malformed_or_foreign_libvirt_uris_are_refused_naming_host_and_field() {
    refused(
        "clientUri",
        () -> new HypervisorEndpoint("h1", "qemu+tls://bad host/system", "qemu+tls://h/system", 1));
    refused("peerUri", () -> new HypervisorEndpoint("h1", "qemu:///system", "http://h/system", 1));
    refused(
        "peerUri", () -> new HypervisorEndpoint("h1", "qemu:///system", "qemu+tls:///system", 1));
    refused(
        "/system", () -> new HypervisorEndpoint("h1", "qemu:///session", "qemu+tls://h/system", 1));
    // libvirtd's plain TCP listener is unauthenticated and unencrypted: never a client or peer
    refused(
        "clientUri",
        () -> new HypervisorEndpoint("h1", "qemu+tcp://h/system", "qemu+tls://h/system", 1));
    refused(
        "peerUri", () -> new HypervisorEndpoint("h1", "qemu:///system", "qemu+tcp://h/system", 1));
    refused(
        "capacityMib",
        () -> new HypervisorEndpoint("h1", "qemu:///system", "qemu+tls://h/system", 0));
    refused(
        "host name", () -> new HypervisorEndpoint("", "qemu:///system", "qemu+tls://h/system", 1));
  }

  @Test
  void zero_ram_and_other_impossible_guests_are_refused() {
    refused(
        "memoryMib",
        () ->
            TestGuest.spec(
                "g", 0, "/img", "/base", "10.0.0.2/24", "10.0.0.1:1", 0, 8, "52:54:00:00:00:01"));
    refused("ramBytes", () -> new MigrationInputs(0, 0, 1, 0, Duration.ofSeconds(1)));
    refused("linkBytesPerSecond", () -> new MigrationInputs(1, 0, 0, 0, Duration.ofSeconds(1)));
    refused(
        "mac",
        () -> TestGuest.spec("g", 128, "/img", "/base", "10.0.0.2/24", "10.0.0.1:1", 0, 8, "zz"));
    refused(
        "kernel",
        () ->
            TestGuest.spec(
                "g", 128, "img", "/base", "10.0.0.2/24", "10.0.0.1:1", 0, 8, "52:54:00:00:00:01"));
  }

  @Test
  void a_dirty_rate_is_held_to_the_same_rules_as_the_plan_inputs_it_becomes() {
    refused("bytesPerSecond", () -> DirtyRate.of(-1));
    refused(
        "changedOver",
        () -> new DirtyRate(1 << 20, java.util.OptionalLong.empty(), 1 << 20, Duration.ZERO));
    refused(
        "changedOver",
        () ->
            new MigrationInputs(1 << 30, 0, 1, 0, Duration.ofSeconds(1))
                .withChanged(1 << 20, Duration.ZERO));
    refused(
        "workingSetBytes",
        () -> new DirtyRate(1 << 20, java.util.OptionalLong.of(0), 0, Duration.ZERO));
  }

  @Test
  void requests_and_settings_name_the_bad_field() {
    refused(
        "destination",
        () ->
            new MigrationRequest(
                "vm",
                "a",
                "a",
                1,
                Instant.now().plus(Duration.ofSeconds(1)),
                MigrationSettings.defaults(),
                true));
    refused(
        "deadline",
        () -> new MigrationRequest("vm", "a", "b", 1, null, MigrationSettings.defaults(), true));
    refused(
        "vmName",
        () ->
            new MigrationRequest(
                "../x",
                "a",
                "b",
                1,
                Instant.now().plus(Duration.ofSeconds(1)),
                MigrationSettings.defaults(),
                true));
    refused("maxDowntime", () -> MigrationSettings.defaults().withMaxDowntime(Duration.ZERO));
    refused("bandwidthMiBps", () -> MigrationSettings.defaults().withBandwidthMiBps(-1));
    refused("switchAfter", () -> PostCopyPolicy.after(Duration.ofSeconds(-1)));
    refused(
        "listed twice",
        () ->
            new MigrationEngine(
                List.of(
                    new HypervisorEndpoint("a", "qemu:///system", "qemu+tls://a/system", 1),
                    new HypervisorEndpoint("a", "qemu:///system", "qemu+tls://a/system", 1)),
                new MigrationPlanner(0.8, Duration.ZERO)));
    refused("linkEfficiency", () -> new MigrationPlanner(0, Duration.ZERO));
  }

  @Test
  void unknown_hosts_are_refused_before_any_connection() {
    MigrationEngine engine =
        new MigrationEngine(
            List.of(
                new HypervisorEndpoint(
                    "a", "qemu+tls://a.invalid/system", "qemu+tls://a.invalid/system", 1)),
            new MigrationPlanner(0.8, Duration.ZERO));
    MigrationException e =
        assertThrows(
            MigrationException.class,
            () ->
                engine.migrate(
                    new MigrationRequest(
                        "vm",
                        "a",
                        "b",
                        1,
                        Instant.now().plus(Duration.ofSeconds(1)),
                        MigrationSettings.defaults(),
                        true),
                    MigrationListener.NONE));
    assertTrue(e.getMessage().contains("unknown destination host 'b'"), e.getMessage());
  }
}
