package io.spotnest.hosts.ec2;

import static io.spotnest.hosts.ec2.Ec2Fixture.OURS;
import static io.spotnest.hosts.ec2.Ec2Fixture.POOL_A;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Events through the provider's subscription: reclaimed pools are avoided, and a terminated host is
 * still ours.
 */
class SqsProviderEventsTest {

  @Test
  void replacementsAvoidThePoolBeingReclaimed() throws Exception {
    try (ElasticMq mq = new ElasticMq()) {
      String queue = mq.createClusterQueue("spotnest-block", "ci");
      try (Ec2Fixture fx = Ec2Fixture.withQueue(mq, queue, "unavailableTtl = 3m")) {
        String inB = fx.fake.addInstance("m8i.2xlarge", "us-east-1b", true, OURS, "running").id;
        String inA = fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, OURS, "running").id;
        Ec2Fixture.RecordingSink sink = new Ec2Fixture.RecordingSink();
        try (AutoCloseable sub = fx.provider.subscribe(sink)) {
          mq.send(
              queue, EventBridgeJson.rebalance("rb-1", inB, Instant.parse("2026-11-23T12:00:00Z")));
          mq.send(
              queue,
              EventBridgeJson.interruption("int-1", inA, Instant.parse("2026-11-23T12:00:00Z")));
          for (int i = 0; i < 200 && sink.accepted.size() < 2; i++) {
            Thread.sleep(50);
          }
        }
        assertEquals(2, sink.accepted.size());

        Host spot = fx.provider.launch(new HostRequest(POOL_A, Market.SPOT));
        assertEquals(
            new Pool("m8i.2xlarge", "us-east-1b"),
            spot.pool(),
            "pool A is being reclaimed: spot goes to B");
        Host onDemand = fx.provider.launch(new HostRequest(POOL_A, Market.ON_DEMAND));
        assertEquals(POOL_A, onDemand.pool(), "on-demand in pool A is not blocked");

        fx.clock.advance(Duration.ofMinutes(3));
        assertEquals(
            POOL_A,
            fx.provider.launch(new HostRequest(POOL_A, Market.SPOT)).pool(),
            "unblocked after the TTL");
      }
    }
  }

  @Test
  void theTerminatedEventOfAHostThatLeftTheListStillReachesTheSink() throws Exception {
    try (ElasticMq mq = new ElasticMq()) {
      String queue = mq.createClusterQueue("spotnest-gone", "ci");
      try (Ec2Fixture fx = Ec2Fixture.withQueue(mq, queue)) {
        String ours = fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, OURS, "running").id;
        String foreign =
            fx.fake.addInstance("c8i.2xlarge", "us-east-1a", true, Map.of(), "running").id;
        fx.provider.list();
        fx.provider.terminate(ours);
        fx.clock.advance(Duration.ofSeconds(30));
        assertEquals(List.of(), fx.provider.list(), "terminated: no longer listed");
        Ec2Fixture.RecordingSink sink = new Ec2Fixture.RecordingSink();
        try (AutoCloseable sub = fx.provider.subscribe(sink)) {
          mq.send(
              queue,
              EventBridgeJson.stateChange(
                  "st-1", ours, Instant.parse("2026-11-23T12:00:00Z"), "terminated"));
          mq.send(
              queue,
              EventBridgeJson.stateChange(
                  "st-2", foreign, Instant.parse("2026-11-23T12:00:00Z"), "terminated"));
          for (int i = 0; i < 200 && (sink.accepted.isEmpty() || mq.remaining(queue) > 0); i++) {
            Thread.sleep(50);
          }
        }
        assertEquals(
            List.of("st-1"),
            sink.accepted.stream().map(e -> e.eventId()).toList(),
            "ours reported gone, the foreign one dropped");
        assertEquals(0, mq.remaining(queue));
      }
    }
  }
}
