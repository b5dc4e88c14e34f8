package io.spotnest.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each host's flood list: every other live host's underlay address plus the overlay gateways'
 * VTEPs, never the asking host itself, without duplicates, in a stable order.
 */
class OverlayPeersTest {
  private static final OverlayPeers NO_GATEWAY = new OverlayPeers(List.of());
  private static final OverlayPeers GATEWAY = new OverlayPeers(List.of("10.0.9.1"));

  static Stream<Arguments> cases() {
    Host a = host("a", HostState.RUNNING, "10.0.0.10");
    Host b = host("b", HostState.RUNNING, "10.0.0.9");
    Host c = host("c", HostState.RUNNING, "10.0.1.2");
    return Stream.of(
        Arguments.of("alone, no gateway", NO_GATEWAY, "a", List.of(a), List.of()),
        Arguments.of("alone, with a gateway", GATEWAY, "a", List.of(a), List.of("10.0.9.1")),
        Arguments.of(
            "two hosts name each other",
            GATEWAY,
            "a",
            List.of(a, b),
            List.of("10.0.0.9", "10.0.9.1")),
        Arguments.of(
            "a host joins (pending counts: its peers flood to it before its agents start)",
            GATEWAY,
            "a",
            List.of(a, b, host("c", HostState.PENDING, "10.0.1.2")),
            List.of("10.0.0.9", "10.0.1.2", "10.0.9.1")),
        Arguments.of(
            "a host leaves (stopping, terminating, terminated, stopped)",
            GATEWAY,
            "a",
            List.of(
                a,
                b,
                host("c", HostState.TERMINATING, "10.0.1.2"),
                host("d", HostState.TERMINATED, "10.0.1.3"),
                host("e", HostState.STOPPING, "10.0.1.4"),
                host("f", HostState.STOPPED, "10.0.1.5")),
            List.of("10.0.0.9", "10.0.9.1")),
        Arguments.of(
            "a host without an address is left out",
            NO_GATEWAY,
            "a",
            List.of(a, b, host("c", HostState.RUNNING, null)),
            List.of("10.0.0.9")),
        Arguments.of(
            "the asking host without an address still gets its list",
            NO_GATEWAY,
            "c",
            List.of(a, b, host("c", HostState.RUNNING, null)),
            List.of("10.0.0.9", "10.0.0.10")),
        Arguments.of(
            "the asking host's own address is never listed, even as a gateway or another record",
            new OverlayPeers(List.of("10.0.0.10", "10.0.9.1")),
            "a",
            List.of(a, b, host("a2", HostState.RUNNING, "10.0.0.10")),
            List.of("10.0.0.9", "10.0.9.1")),
        Arguments.of(
            "duplicates listed once (two records, a gateway that is also a host)",
            new OverlayPeers(List.of("10.0.0.9", "10.0.9.1", "10.0.9.1")),
            "a",
            List.of(a, b, host("b2", HostState.RUNNING, "10.0.0.9"), c),
            List.of("10.0.0.9", "10.0.1.2", "10.0.9.1")),
        Arguments.of(
            "numeric order, IPv4 before IPv6",
            new OverlayPeers(List.of("fd00::2", "192.168.1.1")),
            "c",
            List.of(c, a, b),
            List.of("10.0.0.9", "10.0.0.10", "192.168.1.1", "fd00::2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void floodList(
      String why, OverlayPeers peers, String asking, List<Host> hosts, List<String> expected) {
    assertEquals(expected, peers.forHost(asking, hosts), why);
  }

  @Test
  void theOrderDoesNotDependOnTheOrderOfTheHostList() {
    List<Host> hosts = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      hosts.add(host("h" + i, HostState.RUNNING, "10.0." + (i % 3) + "." + (20 - i)));
    }
    List<String> first = GATEWAY.forHost("h5", hosts);
    for (long seed = 0; seed < 20; seed++) {
      List<Host> shuffled = new ArrayList<>(hosts);
      Collections.shuffle(shuffled, new java.util.Random(seed));
      assertEquals(first, GATEWAY.forHost("h5", shuffled));
    }
    assertEquals(12, first.size(), "11 other hosts and the gateway: " + first);
    assertTrue(!first.contains("10.0.2.15"), "h5's own address is not in its list");
  }

  @Test
  void aHostBeingLaunchedGetsEveryLiveHostAndTheGateways() {
    assertEquals(List.of("10.0.9.1"), GATEWAY.forNewHost(List.of()), "the first host");
    assertEquals(
        List.of("10.0.0.9", "10.0.0.10", "10.0.9.1"),
        GATEWAY.forNewHost(
            List.of(
                host("a", HostState.RUNNING, "10.0.0.10"),
                host("b", HostState.PENDING, "10.0.0.9"),
                host("c", HostState.RUNNING, null),
                host("d", HostState.TERMINATED, "10.0.1.3"),
                host("b2", HostState.RUNNING, "10.0.0.9"))),
        "live hosts with an address, once each, numeric order, then the gateway");
  }

  @Test
  void aGatewayFloodsToEveryLiveHostAndTheOtherGatewaysNeverItself() {
    OverlayPeers two = new OverlayPeers(List.of("10.0.9.2", "10.0.9.1"));
    List<Host> hosts =
        List.of(
            host("a", HostState.RUNNING, "10.0.0.10"),
            host("b", HostState.PENDING, "10.0.0.9"),
            host("c", HostState.RUNNING, null),
            host("d", HostState.TERMINATED, "10.0.1.3"));
    assertEquals(List.of("10.0.0.9", "10.0.0.10", "10.0.9.2"), two.forGateway("10.0.9.1", hosts));
    assertEquals(List.of("10.0.9.1"), two.forGateway("10.0.9.2", List.of()), "no host yet");
    assertTrue(two.isGateway("10.0.9.2"));
    assertTrue(!two.isGateway("10.0.0.10"), "a host is no gateway");
    assertTrue(!two.isGateway("not-an-ip"));
  }

  @Test
  void aGatewayMustBeAnIpAddress() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new OverlayPeers(List.of("gw.example")));
    assertEquals("overlayGateways: expected IP addresses, got 'gw.example'", e.getMessage());
  }

  @Test
  void aHostsUnderlayAddressMustBeAnIpAddress() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> host("x", HostState.RUNNING, "host-b"));
    assertEquals("underlayAddress: expected an IP address, got 'host-b'", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> host("x", HostState.RUNNING, "10.0.0.256"));
  }

  static Host host(String id, HostState state, String underlay) {
    URI uri = URI.create("qemu+tls://" + id + "/system");
    return new Host(
        id,
        new Pool("c8i.2xlarge", "us-east-1a"),
        Market.SPOT,
        state,
        uri,
        uri,
        Optional.ofNullable(underlay),
        HostCapacity.UNKNOWN,
        "use1-az6",
        Optional.empty(),
        Instant.EPOCH);
  }
}
