package io.spotnest.hosts.ec2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.ec2.ScriptSandbox.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  private ScriptSandbox box;
  private Path sysroot;

  @BeforeEach
  void prepare() throws Exception {
    box =
        new ScriptSandbox(
            dir,
            List.of(
                "setup-gateway.sh",
                "spotnest-overlay.sh",
                "spotnest-overlay-up.sh",
                "spotnest-overlay-peers.sh"),
            List.of("ip", "bridge", "systemctl"));
    sysroot = box.sysroot;
    box.write("sys/class/net/eth0/mtu", "9001\n");
    box.write("proc/sys/net/ipv4/ip_forward", "0\n");
  }

  private static Map<String, String> settings() {
    Map<String, String> env = new HashMap<>();
    env.put("SPOTNEST_PRIVATE_IP", VTEP);
    env.put("SPOTNEST_OVERLAY_ADDRESS", "10.9.96.1/27");
    env.put("SPOTNEST_OVERLAY_VNI", "4321");
    env.put("SPOTNEST_OVERLAY_PEERS", "10.0.2.5,10.0.3.5");
    return env;
  }

  private Run setup(Map<String, String> settings) throws Exception {
    return box.run(box.scripts.resolve("setup-gateway.sh"), settings, 60);
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
        box.calls().stream().filter(l -> !l.startsWith("systemctl")).toList(),
        "the hosts' VNI and MTU rule (9001 - 50), the agents' gateway on the bridge, the first list");
    assertEquals("1", Files.readString(sysroot.resolve("proc/sys/net/ipv4/ip_forward")).strip());
    Path installed = sysroot.resolve("usr/local/sbin/spotnest-overlay-peers");
    assertArrayEquals(
        Files.readAllBytes(box.scripts.resolve("spotnest-overlay-peers.sh")),
        Files.readAllBytes(installed),
        "the script the controller runs over SSH");
    assertTrue(Files.isExecutable(installed));
    assertTrue(first.log().contains("MTU 8951 = eth0's 9001 - 50"), first.log());

    int before = box.calls().size();
    Run second = setup(settings());
    assertEquals(0, second.exit(), second.log());
    List<String> again = box.calls().subList(before, box.calls().size());
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
    List<String> created = box.calls().stream().filter(l -> l.startsWith("ip ")).toList();
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
        box.calls().contains("systemctl enable --now spotnest-overlay.service"),
        box.calls().toString());

    int before = box.calls().size();
    Run second = setup(settings());
    assertEquals(0, second.exit(), second.log());
    assertEquals(
        List.of(),
        box.calls().subList(before, box.calls().size()).stream()
            .filter(l -> l.startsWith("systemctl"))
            .toList(),
        "enabled once, nothing reloaded");

    // the reboot: the devices, the address, the FDB and forwarding are gone; files stay
    box.forget(List.of("link-spn0", "link-vxlan0", "addr-spn0", "fdb"));
    Files.writeString(sysroot.resolve("proc/sys/net/ipv4/ip_forward"), "0\n");
    box.clearCalls();
    Run boot = box.bootScript();
    assertEquals(0, boot.exit(), boot.log());
    assertEquals(created, box.calls(), "the same devices, address and MTU; no flood list");
    assertEquals("1", Files.readString(sysroot.resolve("proc/sys/net/ipv4/ip_forward")).strip());
  }

  @Test
  void theUnderlayMtuCanBeGivenAndTheFloodListIsLeftAloneWhenNoneIsGiven() throws Exception {
    Map<String, String> env = settings();
    env.remove("SPOTNEST_OVERLAY_PEERS");
    env.put("SPOTNEST_UNDERLAY_MTU", "1550");
    env.put("SPOTNEST_OVERLAY_BRIDGE", "gw0");
    Run run = setup(env);
    assertEquals(0, run.exit(), run.log());
    assertTrue(
        box.calls().contains("ip link add gw0 mtu 1500 type bridge"), box.calls().toString());
    assertTrue(box.calls().contains("ip addr add 10.9.96.1/27 dev gw0"), box.calls().toString());
    assertTrue(box.calls().stream().noneMatch(l -> l.startsWith("bridge")), box.calls().toString());
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
    assertEquals(List.of(), box.calls(), "nothing changed");
    assertEquals("0", Files.readString(sysroot.resolve("proc/sys/net/ipv4/ip_forward")).strip());
  }
}
