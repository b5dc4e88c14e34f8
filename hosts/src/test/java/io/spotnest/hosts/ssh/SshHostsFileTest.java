package io.spotnest.hosts.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.Pool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SshHostsFileTest {
  private static final Path BASE = Path.of("/etc/spotnest");

  @Test
  void parsesHostsWithDefaultsAndRelativeFiles() {
    List<SshHostConfig> hosts =
        SshHostsFile.parse(
            "hosts.txt",
            BASE,
            List.of(
                "# static build machines",
                "rack1-a spotnest@192.0.2.10 pool=static-32c@rack1 key=id_ed25519 known_hosts=known_hosts",
                "",
                "rack1-b ops@build-b.example:2222 pool=static-32c@rack1 key=/keys/b known_hosts=kh libvirt=tcp:127.0.0.1:16509"));
    SshHostConfig a = hosts.get(0);
    assertEquals(
        new SshHostConfig(
            "rack1-a",
            new Pool("static-32c", "rack1"),
            "192.0.2.10",
            22,
            "spotnest",
            BASE.resolve("id_ed25519"),
            BASE.resolve("known_hosts"),
            LibvirtEndpoint.SYSTEM_SOCKET,
            null,
            null),
        a);
    SshHostConfig b = hosts.get(1);
    assertEquals(2222, b.port());
    assertEquals("build-b.example", b.address());
    assertEquals(Path.of("/keys/b"), b.privateKey());
    assertEquals(LibvirtEndpoint.tcp("127.0.0.1", 16509), b.libvirt());
  }

  @Test
  void peersMigrateThroughSshUnlessThePeerOptionNamesAnotherUri() {
    List<SshHostConfig> hosts =
        SshHostsFile.parse(
            "hosts.txt",
            BASE,
            List.of(
                "a ops@192.0.2.10:2222 pool=x@y key=k known_hosts=kh",
                "b ops@192.0.2.11 pool=x@y key=k known_hosts=kh"
                    + " peer=qemu+tls://192.0.2.11/system?pkipath=/etc/libvirt/pki/peer"));
    assertEquals("qemu+ssh://ops@192.0.2.10:2222/system", hosts.get(0).peer().toString());
    assertEquals(
        "qemu+tls://192.0.2.11/system?pkipath=/etc/libvirt/pki/peer",
        hosts.get(1).peer().toString());
    assertError(
        "a root@h pool=x@y key=k known_hosts=kh peer=http://h/",
        "hosts.txt:1: peer: expected a libvirt URI");
  }

  @Test
  void aPeerUriOverPlainTcpIsRefused() {
    // qemu+tcp:// is libvirtd's unauthenticated, unencrypted TCP listener: peers would migrate
    // to (and so control) the host's daemon through it
    assertError(
        "a root@192.0.2.10 pool=x@y key=k known_hosts=kh peer=qemu+tcp://192.0.2.10/system",
        "hosts.txt:1: peer: expected a libvirt URI");
  }

  @Test
  void aLibvirtTcpEndpointOffTheHostsLoopbackIsRefused() {
    // the SSH forward ends at the host's sshd; a TCP hop on from there to another address would
    // carry libvirt's traffic in the clear (and needs libvirtd listening on the network)
    assertError(
        "a root@192.0.2.10 pool=x@y key=k known_hosts=kh libvirt=tcp:192.0.2.20:16509",
        "hosts.txt:1: libvirt: the TCP host must be the host's loopback");
    assertError(
        "a root@192.0.2.10 pool=x@y key=k known_hosts=kh libvirt=tcp:build-b.example:16509",
        "hosts.txt:1: libvirt: the TCP host must be the host's loopback");
    assertEquals(
        LibvirtEndpoint.tcp("::1", 16509),
        SshHostsFile.parse(
                "hosts.txt",
                BASE,
                List.of("a root@192.0.2.10 pool=x@y key=k known_hosts=kh libvirt=tcp:::1:16509"))
            .get(0)
            .libvirt());
  }

  @Test
  void theUnderlayAddressIsTheVtepOptionElseTheSshAddressWhenThatIsAnIpAddress() {
    List<SshHostConfig> hosts =
        SshHostsFile.parse(
            "hosts.txt",
            BASE,
            List.of(
                "a ops@192.0.2.10 pool=x@y key=k known_hosts=kh",
                "b ops@build-b.example pool=x@y key=k known_hosts=kh vtep=10.20.0.11",
                "c ops@build-c.example pool=x@y key=k known_hosts=kh"));
    assertEquals(Optional.of("192.0.2.10"), hosts.get(0).underlay(), "the SSH address");
    assertEquals(Optional.of("10.20.0.11"), hosts.get(1).underlay(), "vtep= wins");
    assertEquals(Optional.empty(), hosts.get(2).underlay(), "a DNS name is not a VTEP: no address");
  }

  @Test
  void anIpv6VtepIsRefusedNamingTheHostAndTheFieldTheOverlayScriptsTakeIpv4Only() {
    assertError(
        "build-d ops@192.0.2.13 pool=x@y key=k known_hosts=kh vtep=fd00::13",
        "hosts.txt:1: vtep: host build-d: 'fd00::13' is an IPv6 address; the overlay's VXLAN"
            + " endpoints are IPv4 only");
    assertError(
        "build-e ops@192.0.2.14 pool=x@y key=k known_hosts=kh vtep=::ffff:10.0.0.14",
        "hosts.txt:1: vtep: host build-e: '::ffff:10.0.0.14' is an IPv6 address");
  }

  @Test
  void anIpv6SshAddressIsNoUnderlayAddressWithoutAVtep() {
    SshHostConfig ipv6 =
        new SshHostConfig(
            "f",
            new Pool("x", "y"),
            "fd00::15",
            22,
            "ops",
            BASE,
            BASE,
            LibvirtEndpoint.SYSTEM_SOCKET,
            null,
            null);
    assertEquals(Optional.empty(), ipv6.underlay(), "its peers' scripts would refuse it");
  }

  @Test
  void aBadVtepIsOneLineNamingTheField() {
    assertError(
        "a root@h pool=x@y key=k known_hosts=kh vtep=build-a.example",
        "hosts.txt:1: vtep: expected an IP address, got 'build-a.example'");
    assertError(
        "a root@h pool=x@y key=k known_hosts=kh vtep=10.0.0.300",
        "hosts.txt:1: vtep: expected an IP address, got '10.0.0.300'");
    assertError(
        "a root@h pool=x@y key=k known_hosts=kh vtep=",
        "hosts.txt:1: vtep: expected an IP address");
    assertError(
        "a root@h pool=x@y key=k known_hosts=kh vtep=10.0.0.1 vtep=10.0.0.2",
        "hosts.txt:1: vtep: given twice");
  }

  @Test
  void errorsNameLineAndField() {
    assertError("a root@h pool=x@y key=k", "hosts.txt:1: known_hosts: required but missing");
    assertError("a root@h:ssh pool=x@y key=k known_hosts=kh", "hosts.txt:1: port: not a number");
    assertError(
        "a root@h:70000 pool=x@y key=k known_hosts=kh", "hosts.txt:1: port: expected 1..65535");
    assertError(
        "a h pool=x@y key=k known_hosts=kh", "hosts.txt:1: address: expected <user>@<address>");
    assertError(
        "a root@h pool=x key=k known_hosts=kh",
        "hosts.txt:1: pool: expected <instanceType>@<zone>");
    assertError(
        "a root@h pool=x@y key=k known_hosts=kh colour=red",
        "hosts.txt:1: unknown option 'colour=red'");
    assertError(
        "a root@h pool=x@y key=k known_hosts=kh libvirt=ftp:x",
        "hosts.txt:1: libvirt: expected unix:<path> or tcp:<host>:<port>");
    assertError("a root@h pool=x@y key=k key=j known_hosts=kh", "hosts.txt:1: key: given twice");
    assertError("# nothing", "hosts.txt: no hosts listed");
  }

  @Test
  void gatewayLinesAreReadApartFromTheHosts() {
    List<String> lines =
        List.of(
            "a ops@192.0.2.10 pool=x@y key=k known_hosts=kh",
            "gw1 root@192.0.2.254 role=gateway key=k known_hosts=kh",
            "b ops@192.0.2.11 role=host pool=x@y key=k known_hosts=kh",
            "gw2 ops@gw2.example:2222 role=gateway key=/keys/g known_hosts=kh vtep=192.0.2.253");
    StaticMachines m = SshHostsFile.parseMachines("hosts.txt", BASE, lines);
    assertEquals(List.of("a", "b"), m.hosts().stream().map(SshHostConfig::name).toList());
    assertEquals(List.of("gw1", "gw2"), m.gateways().stream().map(SshHostConfig::name).toList());
    SshHostConfig gw2 = m.gateways().get(1);
    assertEquals(Optional.of("192.0.2.253"), gw2.underlay());
    assertEquals(2222, gw2.port());
    assertEquals("ops", gw2.user());
    assertEquals(Path.of("/keys/g"), gw2.privateKey());
    assertEquals(Optional.of("192.0.2.254"), m.gateways().get(0).underlay());
    assertEquals(m.hosts(), SshHostsFile.parse("hosts.txt", BASE, lines), "hosts only");

    assertError(
        "gw root@192.0.2.1 role=router key=k known_hosts=kh",
        "hosts.txt:1: role: expected host or gateway, got 'router'");
    assertError(
        "gw root@192.0.2.1 role=gateway pool=x@y key=k known_hosts=kh",
        "hosts.txt:1: pool: a gateway (role=gateway) has no pool");
    assertError(
        "gw root@192.0.2.1 role=gateway key=k known_hosts=kh libvirt=unix:/x",
        "hosts.txt:1: libvirt: a gateway (role=gateway) has no pool, libvirt or peer");
    assertError(
        "gw root@gw.example role=gateway key=k known_hosts=kh",
        "hosts.txt:1: vtep: gateway 'gw' needs vtep=<IPv4> (its address is not an IPv4 address)");
    assertError("gw root@192.0.2.1 role=gateway known_hosts=kh", "hosts.txt:1: key: required");
  }

  @Test
  void providerRefusesDuplicateNames() {
    List<SshHostConfig> twice =
        SshHostsFile.parse(
            "hosts.txt",
            BASE,
            List.of(
                "a root@h pool=x@y key=k known_hosts=kh",
                "a root@g pool=x@y key=k known_hosts=kh"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new StaticSshHostProvider(
                    twice, Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofSeconds(1)));
    assertEquals("name: host 'a' is listed twice", e.getMessage());
  }

  private static void assertError(String line, String expectedStart) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SshHostsFile.parse("hosts.txt", BASE, List.of(line)));
    assertTrue(
        e.getMessage().startsWith(expectedStart),
        "got: " + e.getMessage() + "\nwanted: " + expectedStart);
  }
}
