package io.spotnest.hosts.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class Ec2SettingsFileTest {
  private static final List<String> VALID =
      List.of(
          "# SpotNest EC2 settings",
          "cluster = ci-east",
          "region = eu-west-1",
          "image = ami-0123456789abcdef0",
          "pools = c8i.2xlarge@eu-west-1a, m8i.2xlarge@eu-west-1b",
          "subnet.eu-west-1a = subnet-0123abcd",
          "cap.hosts = 20",
          "cap.spotHosts = 16",
          "fallback.onDemand = true",
          "retry.attemptsPerPool = 4",
          "retry.baseDelay = 500ms",
          "retry.maxDelay = 30s",
          "unavailableTtl = 5m",
          "libvirt = ssh",
          "relay.url = https://controller.example:8443",
          "sqs.queueUrl = https://sqs.eu-west-1.amazonaws.com/123456789012/spotnest-events");

  @Test
  void parsesEveryField() {
    Ec2Settings s = Ec2SettingsFile.parse("ec2.conf", VALID);
    assertEquals("ci-east", s.cluster());
    assertEquals(
        List.of(new Pool("c8i.2xlarge", "eu-west-1a"), new Pool("m8i.2xlarge", "eu-west-1b")),
        s.pools());
    assertEquals("subnet-0123abcd", s.subnets().get("eu-west-1a"));
    assertEquals(20, s.maxHosts());
    assertEquals(16, s.maxSpotHosts());
    assertTrue(s.fallbackToOnDemand());
    assertEquals(4, s.attemptsPerPool());
    assertEquals(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30)), s.backoff());
    assertEquals(Duration.ofMinutes(5), s.unavailableTtl());
    assertEquals(LibvirtAccess.SSH, s.libvirt());
    assertEquals(
        Optional.of("https://sqs.eu-west-1.amazonaws.com/123456789012/spotnest-events"),
        s.queueUrl());
    assertEquals(Optional.empty(), s.ec2Endpoint());
    assertEquals(Duration.ofSeconds(10), s.apiCallTimeout(), "default");
    assertEquals(Optional.empty(), s.diskGib());

    Ec2Settings more =
        Ec2SettingsFile.parse(
            "ec2.conf",
            with("timeout.apiCall = 3s", "disk.gib = 200", "price.onDemand.c8i.2xlarge = 0.4032"));
    assertEquals(Duration.ofSeconds(3), more.apiCallTimeout());
    assertEquals(Optional.of(200), more.diskGib());
    assertEquals("/dev/xvda", more.rootDevice());
    assertEquals(
        java.util.Map.of("c8i.2xlarge", new java.math.BigDecimal("0.4032")), more.onDemandPrices());
  }

  @Test
  void errorsInTheNewKeysNameLineAndKey() {
    assertError(
        with("price.onDemand.c8i.2xlarge = cheap"),
        "ec2.conf:17: price.onDemand.c8i.2xlarge: not a price in USD per hour");
    assertError(
        with("timeout.apiCall = 10ms"),
        "ec2.conf:17: timeout.apiCall: expected a duration within 100ms..5m");
    assertError(with("disk.gib = 2"), "ec2.conf:17: disk.gib: expected 8..16384");
    assertError(with("disk.device = xvda"), "ec2.conf:17: disk.device: expected a device name");
  }

  @Test
  void errorsNameFileLineAndField() {
    assertError(
        replace("cap.hosts = 20", "cap.hosts = twenty"),
        "ec2.conf:7: cap.hosts: not a whole number: 'twenty'");
    assertError(
        replace("cap.spotHosts = 16", "cap.spotHosts = 30"),
        "ec2.conf:8: cap.spotHosts: expected between 0 and cap.hosts (20)");
    assertError(
        replace("pools = c8i.2xlarge@eu-west-1a, m8i.2xlarge@eu-west-1b", "pools = c8i.2xlarge"),
        "ec2.conf:5: pools: pools: expected <instanceType>@<zone>");
    assertError(
        replace(
            "pools = c8i.2xlarge@eu-west-1a, m8i.2xlarge@eu-west-1b",
            "pools = c8i.2xlarge@us-east-1a"),
        "ec2.conf:5: pools: expected zones inside region eu-west-1");
    assertError(
        replace("retry.baseDelay = 500ms", "retry.baseDelay = soon"),
        "ec2.conf:11: retry.baseDelay: expected a duration");
    assertError(
        replace("retry.maxDelay = 30s", "retry.maxDelay = 100ms"),
        "ec2.conf:12: retry.maxDelay: must be at least retry.baseDelay");
    assertError(
        replace("libvirt = ssh", "libvirt = telnet"), "ec2.conf:14: libvirt: expected tls or ssh");
    assertError(
        replace("image = ami-0123456789abcdef0", "image = my-image"),
        "ec2.conf:4: image: expected an AMI id");
    assertError(
        replace("subnet.eu-west-1a = subnet-0123abcd", "subnet.eu-west-1a = net-1"),
        "ec2.conf:6: subnet.eu-west-1a: expected a subnet id");
    assertError(
        replace("fallback.onDemand = true", "fallback.onDemand = yes"),
        "ec2.conf:9: fallback.onDemand: expected true or false");
    assertError(
        replace("cluster = ci-east", "cluster = CI East"),
        "ec2.conf:2: cluster: expected 1-40 of [a-z0-9-]");
    assertError(replace("region = eu-west-1", "colour = blue"), "ec2.conf:3: unknown key 'colour'");
    assertError(
        replace("region = eu-west-1", "region eu-west-1"), "ec2.conf:3: expected <key> = <value>");
    assertError(
        replace("region = eu-west-1", "cluster = again"),
        "ec2.conf:3: cluster: already set on line 2");
    assertError(
        replace("relay.url = https://controller.example:8443", "# no relay"),
        "ec2.conf: relay.url: required but missing");
  }

  private static List<String> with(String... extra) {
    List<String> lines = new ArrayList<>(VALID);
    lines.addAll(List.of(extra));
    return lines;
  }

  private static List<String> replace(String line, String with) {
    List<String> lines = new ArrayList<>(VALID);
    int i = lines.indexOf(line);
    lines.set(i, with);
    return lines;
  }

  private static void assertError(List<String> lines, String expectedStart) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Ec2SettingsFile.parse("ec2.conf", lines));
    assertTrue(
        e.getMessage().startsWith(expectedStart),
        "got: " + e.getMessage() + "\nwanted: " + expectedStart);
  }
}
