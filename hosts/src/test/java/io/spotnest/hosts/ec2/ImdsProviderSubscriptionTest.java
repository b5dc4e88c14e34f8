package io.spotnest.hosts.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.spotnest.hosts.HostEvent;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IMDS path end to end: watcher -> relay endpoint opened by the provider's subscription ->
 * ownership via EC2 -> sink.
 */
class ImdsProviderSubscriptionTest {
  @TempDir Path dir;

  @Test
  void noticesFromOurHostsReachTheSinkAndForeignOnesAreDropped() throws Exception {
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
      String ours =
          fx.fake.addInstance(
                  "c8i.2xlarge",
                  "us-east-1a",
                  true,
                  Map.of(Ec2Tags.CLUSTER, "ci", Ec2Tags.MANAGED, "true"),
                  "running")
              .id;
      String foreign =
          fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, Map.of(), "running").id;
      Ec2Fixture.RecordingSink sink = new Ec2Fixture.RecordingSink();
      Path script = dir.resolve("watcher.sh");
      try (InputStream in =
          getClass().getResourceAsStream("/io/spotnest/hosts/ec2/host/spotnest-imds-watcher.sh")) {
        Files.write(script, in.readAllBytes());
      }
      Files.writeString(dir.resolve("token"), Ec2Fixture.RELAY_SECRET);
      try (AutoCloseable sub = fx.provider.subscribe(sink)) {
        for (String id : List.of(ours, foreign)) {
          try (ImdsFake imds = new ImdsFake(id)) {
            imds.identity(TestIdentityCa.aws().signedIdentity(id, "127.0.0.1", "us-east-1"));
            imds.instanceAction("{\"action\":\"terminate\",\"time\":\"2026-11-23T12:02:00Z\"}");
            ProcessBuilder pb =
                new ProcessBuilder("bash", script.toString(), "--once").redirectErrorStream(true);
            pb.environment().put("SPOTNEST_WATCHER_CONF", dir.resolve("none").toString());
            pb.environment().put("SPOTNEST_RELAY_URL", "http://127.0.0.1:" + port);
            pb.environment().put("SPOTNEST_RELAY_TOKEN_FILE", dir.resolve("token").toString());
            pb.environment().put("SPOTNEST_IMDS_URL", imds.endpoint().toString());
            pb.environment().put("SPOTNEST_STATE_DIR", dir.resolve("state-" + id).toString());
            Process p = pb.start();
            p.waitFor(30, TimeUnit.SECONDS);
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), log);
          }
        }
      }
      assertEquals(1, sink.accepted.size(), "only our host's notice: " + sink.accepted);
      HostEvent.InterruptionNotice n =
          assertInstanceOf(HostEvent.InterruptionNotice.class, sink.accepted.get(0));
      assertEquals(ours, n.hostId());
    }
  }
}
