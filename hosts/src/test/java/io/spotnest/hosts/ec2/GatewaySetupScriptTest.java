package io.spotnest.hosts.ec2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code setup-gateway.sh} (with the overlay functions it shares with {@code
 * setup-host.sh}) as {@link HostSetupScriptTest} runs the host's: stand-ins for {@code ip} and
 * {@code bridge} record what would change the machine, every file path under a temporary sysroot.
 * The same script on real devices, in a network namespace: {@code GatewaySetupNamespaceLabTest}.
 */
class GatewaySetupScriptTest {
  private static final String VTEP = "127.0.0.1"; // the stand-in ip puts it on eth0

  @TempDir Path dir;
  private Path sysroot;
  private Path scripts;
  private Path fakebin;
  private Path calls;

  @BeforeEach
  void prepare() throws Exception {
    scripts = Files.createDirectories(dir.resolve("scripts"));
    for (String s :
        List.of(
            "setup-gateway.sh",
            "spotnest-overlay.sh",
            "spotnest-overlay-up.sh",
            "spotnest-overlay-peers.sh")) {
      copy("/io/spotnest/hosts/ec2/host/" + s, scripts.resolve(s));
    }
    fakebin = Files.createDirectories(dir.resolve("fakebin"));
    for (String s : List.of("ip", "bridge", "systemctl")) {
      copy("/io/spotnest/hosts/ec2/fakebin/" + s, fakebin.resolve(s));
      Files.setPosixFilePermissions(
          fakebin.resolve(s), PosixFilePermissions.fromString("rwx------"));
    }
    sysroot = dir.resolve("root");
    write("sys/class/net/eth0/mtu", "9001\n");
    write("proc/sys/net/ipv4/ip_forward", "0\n");
    Files.createDirectories(dir.resolve("state"));
    calls = dir.resolve("calls.log");
    Files.writeString(calls, "");
  }

  private void copy(String resource, Path to) throws Exception {
    try (InputStream in = getClass().getResourceAsStream(resource)) {
      assertTrue(in != null, "missing resource " + resource);
      Files.write(to, in.readAllBytes());
    }
  }

  private void write(String path, String content) throws Exception {
    Path f = sysroot.resolve(path);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
  }

  private record Run(int exit, String log) {}

  private static Map<String, String> settings() {
    Map<String, String> env = new HashMap<>();
    env.put("SPOTNEST_PRIVATE_IP", VTEP);
    env.put("SPOTNEST_OVERLAY_ADDRESS", "10.9.96.1/27");
    env.put("SPOTNEST_OVERLAY_VNI", "4321");
    env.put("SPOTNEST_OVERLAY_PEERS", "10.0.2.5,10.0.3.5");
    return env;
  }

  private Run setup(Map<String, String> settings) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("bash", scripts.resolve("setup-gateway.sh").toString())
            .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("SPOTNEST_"));
    env.put("PATH", fakebin + ":" + env.get("PATH"));
    env.put("FAKE_CALLS", calls.toString());
    env.put("FAKE_STATE", dir.resolve("state").toString());
    env.put("SPOTNEST_SYSROOT", sysroot.toString());
    env.putAll(settings);
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("setup-gateway.sh did not finish");
    }
    return new Run(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private List<String> calls() throws Exception {
    return Files.readAllLines(calls);
  }

  @Test
  void firstRunBuildsTheGatewaysOverlayEndSecondRunChangesNothing() throws Exception {
    Run first = setup(settings());
    assertEquals(0, first.exit(), first.log());
    assertEquals(
        List.of(
            "ip link add spn0 mtu 8951 type bridge",
            "ip link add vxlan0 mtu 8951 type vxlan id 4321 local 127.0.0.1 dstport 4789",
            "ip link set vxlan0 master spn0 mtu 8951 up",
            "ip link set spn0 mtu 8951 up",
            "ip addr add 10.9.96.1/27 dev spn0",
            "bridge fdb append 00:00:00:00:00:00 dev vxlan0 dst 10.0.2.5",
            "bridge fdb append 00:00:00:00:00:00 dev vxlan0 dst 10.0.3.5"),
        calls().stream().filter(l -> !l.startsWith("systemctl")).toList(),
        "the hosts' VNI and MTU rule (9001 - 50), the agents' gateway on the bridge, the first list");
    assertEquals("1", Files.readString(sysroot.resolve("proc/sys/net/ipv4/ip_forward")).strip());
    Path installed = sysroot.resolve("usr/local/sbin/spotnest-overlay-peers");
    assertArrayEquals(
        Files.readAllBytes(scripts.resolve("spotnest-overlay-peers.sh")),
        Files.readAllBytes(installed),
        "the script the controller runs over SSH");
    assertTrue(Files.isExecutable(installed));
    assertTrue(first.log().contains("MTU 8951 = eth0's 9001 - 50"), first.log());

    int before = calls().size();
    Run second = setup(settings());
    assertEquals(0, second.exit(), second.log());
    List<String> again = calls().subList(before, calls().size());
    assertTrue(
        again.stream()
            .noneMatch(
                l ->
                    l.startsWith("ip link add")
                        || l.startsWith("ip addr")
                        || l.startsWith("bridge")),
        "the second run adds nothing: " + again);
    assertTrue(second.log().contains("spn0 already holds 10.9.96.1/27"), second.log());
  }

  @Test
  void aRebootRecreatesTheGatewaysEndFromItsRootOnlySettingsAndTheUnitIsEnabledOnce()
      throws Exception {
    Run first = setup(settings());
    assertEquals(0, first.exit(), first.log());
    List<String> created = calls().stream().filter(l -> l.startsWith("ip ")).toList();
    Path settings = sysroot.resolve("etc/spotnest/overlay.env");
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(settings)));
    assertEquals(
        List.of(
            "SPOTNEST_OVERLAY_BRIDGE=spn0",
            "SPOTNEST_OVERLAY_VNI=4321",
            "SPOTNEST_OVERLAY_LOCAL_IP=127.0.0.1",
            "SPOTNEST_OVERLAY_MTU=8951",
            "SPOTNEST_OVERLAY_ADDRESS=10.9.96.1/27",
            "SPOTNEST_IP_FORWARD=1"),
        Files.readAllLines(settings).stream().filter(l -> !l.startsWith("#")).toList());
    String unit = Files.readString(sysroot.resolve("etc/systemd/system/spotnest-overlay.service"));
    assertTrue(
        unit.contains("ExecStart=/usr/local/sbin/spotnest-overlay-up\n")
            && unit.contains("WantedBy=multi-user.target\n"),
        unit);
    assertTrue(
        calls().contains("systemctl enable --now spotnest-overlay.service"), calls().toString());

    int before = calls().size();
    Run second = setup(settings());
    assertEquals(0, second.exit(), second.log());
    assertEquals(
        List.of(),
        calls().subList(before, calls().size()).stream()
            .filter(l -> l.startsWith("systemctl"))
            .toList(),
        "enabled once, nothing reloaded");

    // the reboot: the devices, the address, the FDB and forwarding are gone; files stay
    for (String f : List.of("link-spn0", "link-vxlan0", "addr-spn0", "fdb")) {
      Files.deleteIfExists(dir.resolve("state").resolve(f));
    }
    Files.writeString(sysroot.resolve("proc/sys/net/ipv4/ip_forward"), "0\n");
    Files.writeString(calls, "");
    Run boot = bootScript();
    assertEquals(0, boot.exit(), boot.log());
    assertEquals(created, calls(), "the same devices, address and MTU; no flood list");
    assertEquals("1", Files.readString(sysroot.resolve("proc/sys/net/ipv4/ip_forward")).strip());
  }

  /** The installed boot script as systemd starts it: no SPOTNEST_ setting in its environment. */
  private Run bootScript() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("bash", sysroot.resolve("usr/local/sbin/spotnest-overlay-up").toString())
            .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("SPOTNEST_"));
    env.put("PATH", fakebin + ":" + env.get("PATH"));
    env.put("FAKE_CALLS", calls.toString());
    env.put("FAKE_STATE", dir.resolve("state").toString());
    env.put("SPOTNEST_SYSROOT", sysroot.toString());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("spotnest-overlay-up did not finish");
    }
    return new Run(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void theUnderlayMtuCanBeGivenAndTheFloodListIsLeftAloneWhenNoneIsGiven() throws Exception {
    Map<String, String> env = settings();
    env.remove("SPOTNEST_OVERLAY_PEERS");
    env.put("SPOTNEST_UNDERLAY_MTU", "1550");
    env.put("SPOTNEST_OVERLAY_BRIDGE", "gw0");
    Run run = setup(env);
    assertEquals(0, run.exit(), run.log());
    assertTrue(calls().contains("ip link add gw0 mtu 1500 type bridge"), calls().toString());
    assertTrue(calls().contains("ip addr add 10.9.96.1/27 dev gw0"), calls().toString());
    assertTrue(calls().stream().noneMatch(l -> l.startsWith("bridge")), calls().toString());
  }

  @Test
  void badInputIsOneLineNamingTheSettingExitTwoBeforeAnyChange() throws Exception {
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put(
        "SPOTNEST_PRIVATE_IP=", "SPOTNEST_PRIVATE_IP must be the gateway's IPv4 VTEP address");
    cases.put("SPOTNEST_OVERLAY_ADDRESS=10.9.96.1", "SPOTNEST_OVERLAY_ADDRESS must be");
    cases.put("SPOTNEST_OVERLAY_ADDRESS=10.9.96.1/32", "SPOTNEST_OVERLAY_ADDRESS must be");
    cases.put("SPOTNEST_OVERLAY_VNI=16777216", "SPOTNEST_OVERLAY_VNI must be 1..16777215");
    cases.put("SPOTNEST_OVERLAY_PEERS=10.0.2.5,;reboot", "SPOTNEST_OVERLAY_PEERS must be");
    cases.put("SPOTNEST_OVERLAY_BRIDGE=vxlan0", "SPOTNEST_OVERLAY_BRIDGE must not be vxlan0");
    cases.put("SPOTNEST_OVERLAY_BRIDGE=a b", "SPOTNEST_OVERLAY_BRIDGE must be an interface name");
    cases.put(
        "SPOTNEST_UNDERLAY_MTU=500", "SPOTNEST_UNDERLAY_MTU must be a number of at least 626");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Map<String, String> env = settings();
      String[] kv = c.getKey().split("=", 2);
      env.put(kv[0], kv[1]);
      Run run = setup(env);
      assertEquals(2, run.exit(), c.getKey() + ": " + run.log());
      assertEquals(1, run.log().strip().lines().count(), "one line: " + run.log());
      assertTrue(run.log().contains(c.getValue()), c.getKey() + ": " + run.log());
      assertFalse(run.log().contains("line "), "no shell trace: " + run.log());
    }
    assertEquals(List.of(), calls(), "nothing changed");
    assertEquals("0", Files.readString(sysroot.resolve("proc/sys/net/ipv4/ip_forward")).strip());
  }
}
