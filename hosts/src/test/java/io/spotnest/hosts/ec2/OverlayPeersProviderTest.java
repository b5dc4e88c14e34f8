package io.spotnest.hosts.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overlay peer upkeep end to end: the host watcher asks the relay the provider's subscription
 * opened for its flood list, which the provider computes from the cluster's instances in EC2 (the
 * local fake), and applies it with {@code spotnest-overlay-peers} (a fake command recording its
 * arguments).
 */
class OverlayPeersProviderTest {
  private static final Map<String, String> OURS =
      Map.of(Ec2Tags.CLUSTER, "ci", Ec2Tags.MANAGED, "true");

  @TempDir Path dir;

  @Test
  void aHostFloodsToTheClustersOtherLiveInstancesAsTheyComeAndGo() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    try (Ec2Fixture fx =
        new Ec2Fixture(
            List.of(),
            Optional.empty(),
            SqsEventPump.Settings.standard(),
            Optional.of(new InetSocketAddress("127.0.0.1", port)))) {
      Ec2QueryFake.FakeInstance self =
          fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, OURS, "running");
      Ec2QueryFake.FakeInstance other =
          fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, OURS, "running");
      Ec2QueryFake.FakeInstance foreign =
          fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, Map.of(), "running");
      Path script = dir.resolve("watcher.sh");
      try (InputStream in =
          getClass().getResourceAsStream("/io/spotnest/hosts/ec2/host/spotnest-imds-watcher.sh")) {
        Files.write(script, in.readAllBytes());
      }
      Files.writeString(dir.resolve("token"), Ec2Fixture.RELAY_SECRET);
      Path applied = dir.resolve("applied");
      Path command = dir.resolve("spotnest-overlay-peers");
      Files.writeString(command, "#!/bin/sh\necho \"[$*]\" >> '" + applied + "'\n");
      Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwx------"));

      try (AutoCloseable sub = fx.provider.subscribe(new Ec2Fixture.RecordingSink());
          ImdsFake imds = new ImdsFake(self.id)) {
        imds.identity(TestIdentityCa.aws().signedIdentity(self.id, "127.0.0.1", "us-east-1"));
        ProcessBuilder pb =
            new ProcessBuilder("bash", script.toString(), "--once").redirectErrorStream(true);
        pb.environment().put("SPOTNEST_WATCHER_CONF", dir.resolve("none").toString());
        pb.environment().put("SPOTNEST_RELAY_URL", "http://127.0.0.1:" + port);
        pb.environment().put("SPOTNEST_RELAY_TOKEN_FILE", dir.resolve("token").toString());
        pb.environment().put("SPOTNEST_IMDS_URL", imds.endpoint().toString());
        pb.environment().put("SPOTNEST_STATE_DIR", dir.resolve("state").toString());
        pb.environment().put("SPOTNEST_OVERLAY_PEERS_COMMAND", command.toString());

        run(pb);
        assertEquals(List.of("[" + other.privateIp + "]"), Files.readAllLines(applied));

        Ec2QueryFake.FakeInstance joined =
            fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, OURS, "pending");
        other.state = "shutting-down";
        fx.clock.advance(Duration.ofSeconds(6)); // past the relay's host list cache
        run(pb);
        assertEquals(
            List.of("[" + other.privateIp + "]", "[" + joined.privateIp + "]"),
            Files.readAllLines(applied),
            "the one that left is gone, the one that joins is in; never "
                + self.privateIp
                + " (itself) or "
                + foreign.privateIp
                + " (not the cluster's)");
      }
    }
  }

  private static void run(ProcessBuilder pb) throws Exception {
    Process p = pb.start();
    p.waitFor(30, TimeUnit.SECONDS);
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), log);
  }
}
