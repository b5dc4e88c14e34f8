package io.spotnest.hosts.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.HostEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * A correlated reclaim: 50 interruption notices (plus 10 redeliveries) land on the queue at once.
 * Through the provider's subscription (background pump, ownership checked against the EC2 fake)
 * every notice reaches the sink exactly once, the queue drains, and ownership costs one
 * DescribeInstances call, not one per event.
 */
class SqsBurstTest {

  @Test
  void burstOfFiftyNoticesIsHandledCompletelyAndOnce() throws Exception {
    try (ElasticMq mq = new ElasticMq()) {
      String queue = mq.createClusterQueue("spotnest-burst", "ci");
      try (Ec2Fixture fx = Ec2Fixture.withQueue(mq, queue, "cap.hosts = 60")) {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          hosts.add(
              fx.fake.addInstance(
                      "c8i.2xlarge",
                      "us-east-1a",
                      true,
                      Map.of(Ec2Tags.CLUSTER, "ci", Ec2Tags.MANAGED, "true"),
                      "running")
                  .id);
        }
        Instant t = Instant.parse("2026-11-23T12:00:00Z");
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          bodies.add(EventBridgeJson.interruption("burst-" + i, hosts.get(i), t.plusMillis(i)));
        }
        for (int i = 0; i < 10; i++) {
          bodies.add(bodies.get(i * 5)); // redeliveries of the same events
        }
        Ec2Fixture.RecordingSink sink = new Ec2Fixture.RecordingSink();
        List<Long> durableAt = java.util.Collections.synchronizedList(new ArrayList<>());

        long sent;
        try (AutoCloseable subscription =
            fx.provider.subscribe(
                e -> {
                  sink.accept(e);
                  durableAt.add(System.nanoTime());
                })) {
          long start = System.nanoTime();
          for (int b = 0; b < bodies.size(); b += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = b; i < Math.min(b + 10, bodies.size()); i++) {
              entries.add(
                  SendMessageBatchRequestEntry.builder()
                      .id("m" + i)
                      .messageBody(bodies.get(i))
                      .build());
            }
            mq.sqs.sendMessageBatch(r -> r.queueUrl(queue).entries(entries));
          }
          sent = System.nanoTime();
          for (int i = 0; i < 600 && (sink.accepted.size() < 50 || mq.remaining(queue) > 0); i++) {
            Thread.sleep(50);
          }
          long last = durableAt.stream().mapToLong(Long::longValue).max().orElse(sent);
          System.out.printf(
              "burst: 50 notices + 10 redeliveries; last effect durable %.0f ms after the last send (%.0f ms after the first); "
                  + "DescribeInstances calls: %d%n",
              (last - sent) / 1e6,
              (last - start) / 1e6,
              fx.fake.requests("DescribeInstances").size());
        }

        assertEquals(50, sink.accepted.size(), "every notice once, redeliveries deduplicated");
        Set<String> hostsNotified = new HashSet<>();
        for (HostEvent e : sink.accepted) {
          assertTrue(e instanceof HostEvent.InterruptionNotice, e.toString());
          hostsNotified.add(e.hostId());
        }
        assertEquals(new HashSet<>(hosts), hostsNotified);
        assertEquals(0, mq.remaining(queue), "every message deleted after its effect");
        assertTrue(
            fx.fake.requests("DescribeInstances").size() <= 2,
            "ownership from a cached list: "
                + fx.fake.requests("DescribeInstances").size()
                + " DescribeInstances calls");
      }
    }
  }
}
