package io.spotnest.hosts.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overlay peer upkeep end to end: the host watcher asks the relay the provider's subscription
 * opened for its flood list, which the provider computes from the cluster's instances in EC2 (the
 * local fake), and applies it with {@code spotnest-overlay-peers} (a fake command recording its
 * arguments).
 */
class OverlayPeersProviderTest {
  private static final Map<String, String> OURS = Ec2Fixture.OURS;

  @TempDir Path dir;

  @Test
  void aHostFloodsToTheClustersOtherLiveInstancesAsTheyComeAndGo() throws Exception {
    try (Ec2Fixture fx = Ec2Fixture.withRelay()) {
      Ec2QueryFake.FakeInstance self =
          fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, OURS, "running");
      Ec2QueryFake.FakeInstance other =
          fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, OURS, "running");
      Ec2QueryFake.FakeInstance foreign =
          fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, Map.of(), "running");
      Path applied = dir.resolve("applied");
      Path command = dir.resolve("spotnest-overlay-peers");
      Files.writeString(command, "#!/bin/sh\necho \"[$*]\" >> '" + applied + "'\n");
      Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwx------"));

      try (AutoCloseable sub = fx.provider.subscribe(new Ec2Fixture.RecordingSink());
          ImdsFake imds = new ImdsFake(self.id)) {
        imds.identity(TestIdentityCa.aws().signedIdentity(self.id, "127.0.0.1", "us-east-1"));
        ProcessBuilder pb = fx.watcherOnce(dir, imds, "state");
        pb.environment().put("SPOTNEST_OVERLAY_PEERS_COMMAND", command.toString());

        Ec2Fixture.assertRunsCleanly(pb);
        assertEquals(List.of("[" + other.privateIp + "]"), Files.readAllLines(applied));

        Ec2QueryFake.FakeInstance joined =
            fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, OURS, "pending");
        other.state = "shutting-down";
        fx.clock.advance(Duration.ofSeconds(6)); // past the relay's host list cache
        Ec2Fixture.assertRunsCleanly(pb);
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
}
