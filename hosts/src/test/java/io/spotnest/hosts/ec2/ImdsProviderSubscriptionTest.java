package io.spotnest.hosts.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.spotnest.hosts.HostEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    try (Ec2Fixture fx = Ec2Fixture.withRelay()) {
      String ours =
          fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, Ec2Fixture.OURS, "running").id;
      String foreign =
          fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, Map.of(), "running").id;
      Ec2Fixture.RecordingSink sink = new Ec2Fixture.RecordingSink();
      try (AutoCloseable sub = fx.provider.subscribe(sink)) {
        for (String id : List.of(ours, foreign)) {
          try (ImdsFake imds = new ImdsFake(id)) {
            imds.identity(TestIdentityCa.aws().signedIdentity(id, "127.0.0.1", "us-east-1"));
            imds.instanceAction("{\"action\":\"terminate\",\"time\":\"2026-11-23T12:02:00Z\"}");
            Ec2Fixture.assertRunsCleanly(fx.watcherOnce(dir, imds, "state-" + id));
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
