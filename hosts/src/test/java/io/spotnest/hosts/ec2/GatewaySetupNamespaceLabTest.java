package io.spotnest.hosts.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.LabGate;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code setup-gateway.sh} on real devices: run three times inside a network namespace of its own
 * ({@code unshare --net --mount}, which ends with the process; sysfs remounted inside so it shows
 * that namespace), with a veth end holding the VTEP address as the underlay. Nothing of this
 * machine's own interfaces is seen or touched; files go under a temporary sysroot whose {@code
 * /proc} and {@code /sys} are the namespace's.
 */
@Tag("lab")
class GatewaySetupNamespaceLabTest {
  @TempDir Path dir;

  @Test
  void createsTheGatewaysOverlayEndOnceAndFollowsTheFloodList() throws Exception {
    List<String> missing = new ArrayList<>();
    if (!"root".equals(System.getProperty("user.name"))) {
      missing.add("root (to create a network namespace)");
    }
    if (!Files.isExecutable(Path.of("/usr/bin/unshare"))) {
      missing.add("/usr/bin/unshare");
    }
    LabGate.requireOrSkip("gateway setup in a namespace needs: ", missing);

    Path scripts = Files.createDirectories(dir.resolve("scripts"));
    for (String s :
        List.of(
            "setup-gateway.sh",
            "spotnest-overlay.sh",
            "spotnest-overlay-up.sh",
            "spotnest-overlay-peers.sh")) {
      try (InputStream in = getClass().getResourceAsStream("/io/spotnest/hosts/ec2/host/" + s)) {
        Files.write(scripts.resolve(s), in.readAllBytes());
      }
    }
    // systemctl would reach this machine's systemd from inside the namespace: a stand-in records it
    Path fakebin = Files.createDirectories(dir.resolve("fakebin"));
    try (InputStream in =
        getClass().getResourceAsStream("/io/spotnest/hosts/ec2/fakebin/systemctl")) {
      Files.write(fakebin.resolve("systemctl"), in.readAllBytes());
    }
    Files.setPosixFilePermissions(
        fakebin.resolve("systemctl"), PosixFilePermissions.fromString("rwx------"));
    Path fakeState = Files.createDirectories(dir.resolve("state"));
    Path calls = dir.resolve("calls.log");
    Path sysroot = Files.createDirectories(dir.resolve("root"));
    Files.createSymbolicLink(sysroot.resolve("proc"), Path.of("/proc"));
    Files.createSymbolicLink(sysroot.resolve("sys"), Path.of("/sys"));
    String outerNamespace = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
    String inner =
        String.join(
            "\n",
            "set -eu",
            // never run anything in this machine's own namespace
            "[ \"$(readlink /proc/self/ns/net)\" != \"$OUTER_NS\" ] || { echo 'not in a new"
                + " network namespace' >&2; exit 99; }",
            "mount -t sysfs sysfs /sys",
            "ip link add eth0 mtu 1550 type veth peer name eth1",
            "ip addr add 10.77.0.2/24 dev eth0",
            "ip link set eth0 up",
            "ip link set eth1 up",
            "export SPOTNEST_SYSROOT=$ROOT SPOTNEST_PRIVATE_IP=10.77.0.2"
                + " SPOTNEST_OVERLAY_ADDRESS=10.77.96.1/27 SPOTNEST_OVERLAY_VNI=4343",
            "SPOTNEST_OVERLAY_PEERS=10.77.0.6,10.77.0.5 bash $SCRIPTS/setup-gateway.sh",
            "SPOTNEST_OVERLAY_PEERS=10.77.0.5,10.77.0.6 bash $SCRIPTS/setup-gateway.sh",
            "echo '== after two runs'",
            "ip -d -o link show vxlan0",
            "ip -o link show spn0",
            "ip -o -4 addr show dev spn0",
            "bridge fdb show dev vxlan0 | grep '^00:00:00:00:00:00'",
            "echo \"ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)\"",
            "SPOTNEST_OVERLAY_PEERS=10.77.0.6 bash $SCRIPTS/setup-gateway.sh",
            "echo '== after a host left'",
            "bridge fdb show dev vxlan0 | grep '^00:00:00:00:00:00'",
            // a reboot: the runtime devices, their address and FDB, and forwarding are gone
            "ip link del vxlan0",
            "ip link del spn0",
            "echo 0 > /proc/sys/net/ipv4/ip_forward",
            "if ip link show dev spn0 >/dev/null 2>&1; then echo 'spn0 survived' >&2; exit 98; fi",
            // what spotnest-overlay.service runs at boot, with systemd's bare environment
            "env -i PATH=\"$PATH\" SPOTNEST_SYSROOT=\"$ROOT\" \"$ROOT/usr/local/sbin/spotnest-overlay-up\"",
            "echo '== after a reboot'",
            "ip -d -o link show vxlan0",
            "ip -o link show spn0",
            "ip -o -4 addr show dev spn0",
            "bridge fdb show dev vxlan0 | grep '^00:00:00:00:00:00' || true",
            "echo \"ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)\"");
    ProcessBuilder pb =
        new ProcessBuilder("unshare", "--net", "--mount", "bash", "-c", inner)
            .redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("SPOTNEST_"));
    pb.environment().put("OUTER_NS", outerNamespace);
    pb.environment().put("ROOT", sysroot.toString());
    pb.environment().put("SCRIPTS", scripts.toString());
    pb.environment().put("PATH", fakebin + ":" + System.getenv("PATH"));
    pb.environment().put("FAKE_STATE", fakeState.toString());
    pb.environment().put("FAKE_CALLS", calls.toString());
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the namespace run did not finish");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);

    String state = out.substring(out.indexOf("== after two runs"), out.indexOf("== after a host"));
    List<String> lines = state.lines().toList();
    assertGatewayEnd(lines);
    assertEquals(
        List.of("10.77.0.5", "10.77.0.6"),
        lines.stream()
            .filter(l -> l.startsWith("00:00:00:00:00:00"))
            .map(l -> l.replaceAll(".* dst (\\S+).*", "$1"))
            .sorted()
            .toList(),
        state);
    assertTrue(out.contains("spn0 already holds 10.77.96.1/27"), out);
    String after = out.substring(out.indexOf("== after a host"), out.indexOf("== after a reboot"));
    assertEquals(
        List.of("10.77.0.6"),
        after
            .lines()
            .filter(l -> l.startsWith("00:00:00:00:00:00"))
            .map(l -> l.replaceAll(".* dst (\\S+).*", "$1"))
            .toList(),
        after);
    assertTrue(
        Files.isExecutable(sysroot.resolve("usr/local/sbin/spotnest-overlay-peers")),
        "installed for the controller's upkeep");

    List<String> rebooted = out.substring(out.indexOf("== after a reboot")).lines().toList();
    System.out.println(String.join("\n", rebooted)); // in the test's report
    assertGatewayEnd(rebooted);
    assertTrue(
        rebooted.stream().noneMatch(l -> l.startsWith("00:00:00:00:00:00")),
        "the flood list is the watcher's or the controller's to apply: " + rebooted);
    assertEquals(
        List.of("systemctl daemon-reload", "systemctl enable --now spotnest-overlay.service"),
        Files.readAllLines(calls),
        "the boot unit enabled once over three runs");
  }

  /** Lines after a "== ..." marker: vxlan0 (-d), spn0, spn0's addresses, FDB, ip_forward. */
  private static void assertGatewayEnd(List<String> lines) {
    String vxlan = lines.get(1);
    assertTrue(vxlan.contains("mtu 1500 ") && vxlan.contains("master spn0"), vxlan);
    assertTrue(vxlan.contains(",UP,") || vxlan.contains("<UP,") || vxlan.contains(",UP>"), vxlan);
    assertTrue(
        vxlan.contains("vxlan id 4343 local 10.77.0.2 ") && vxlan.contains("dstport 4789"), vxlan);
    String bridge = lines.get(2);
    assertTrue(bridge.contains("mtu 1500 ") && bridge.contains(",UP"), bridge);
    assertEquals(
        1, lines.stream().filter(l -> l.contains("inet 10.77.96.1/27")).count(), lines.toString());
    assertTrue(lines.contains("ip_forward=1"), "forwarding on: " + lines);
  }
}
