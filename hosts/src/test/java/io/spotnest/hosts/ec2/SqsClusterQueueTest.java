package io.spotnest.hosts.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.HostEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SQS queue is per cluster: a cluster never consumes (and deletes) another cluster's notices.
 */
class SqsClusterQueueTest {
  private static final Instant T = Instant.parse("2026-11-23T12:00:00Z");

  @Test
  void aQueueOfAnotherClusterOrOfNoClusterIsRefused() throws Exception {
    try (ElasticMq mq = new ElasticMq()) {
      String prodQueue = mq.createClusterQueue("spotnest-prod-events", "prod");
      String untagged = mq.createQueue("spotnest-events");
      for (String queue : List.of(prodQueue, untagged)) {
        try (Ec2Fixture ci = Ec2Fixture.withQueue(mq, queue, "cluster = ci")) {
          String prodHost =
              ci.fake.addInstance(
                      "c8i.2xlarge",
                      "us-east-1a",
                      true,
                      Map.of(Ec2Tags.CLUSTER, "prod", Ec2Tags.MANAGED, "true"),
                      "running")
                  .id;
          mq.send(queue, EventBridgeJson.interruption("int-" + queue.hashCode(), prodHost, T));
          IllegalArgumentException e =
              assertThrows(
                  IllegalArgumentException.class,
                  () -> ci.provider.subscribe(new Ec2Fixture.RecordingSink()).close());
          assertTrue(e.getMessage().startsWith("sqs.queueUrl: "), e.getMessage());
          assertTrue(e.getMessage().contains(Ec2Tags.CLUSTER + "=ci"), e.getMessage());
          assertEquals(1, mq.remaining(queue), "the other cluster's notice is still there");
        }
      }
    }
  }

  @Test
  void twoClustersOnOneServerEachSeeOnlyTheirOwnNotices() throws Exception {
    try (ElasticMq mq = new ElasticMq()) {
      String queueA = mq.createClusterQueue("spotnest-a-events", "a");
      String queueB = mq.createClusterQueue("spotnest-b-events", "b");
      try (Ec2Fixture a = Ec2Fixture.withQueue(mq, queueA, "cluster = a");
          Ec2Fixture b = Ec2Fixture.withQueue(mq, queueB, "cluster = b")) {
        // One account: both fakes hold both instances (the fakes stand for the same EC2).
        String hostA = tagged(a, "a");
        String hostB = tagged(a, "b");
        tagged(b, "a");
        tagged(b, "b");
        assertEquals(
            List.of(hostA, hostB),
            List.of(b.fake.instances().get(0).id, b.fake.instances().get(1).id));
        Ec2Fixture.RecordingSink sinkA = new Ec2Fixture.RecordingSink();
        Ec2Fixture.RecordingSink sinkB = new Ec2Fixture.RecordingSink();
        try (AutoCloseable subA = a.provider.subscribe(sinkA);
            AutoCloseable subB = b.provider.subscribe(sinkB)) {
          // EventBridge: each cluster's rule delivers every EC2 event of the account to that
          // cluster's queue.
          for (String queue : List.of(queueA, queueB)) {
            mq.send(queue, EventBridgeJson.interruption("int-a", hostA, T));
            mq.send(queue, EventBridgeJson.interruption("int-b", hostB, T));
          }
          for (int i = 0;
              i < 200
                  && (sinkA.accepted.isEmpty()
                      || sinkB.accepted.isEmpty()
                      || mq.remaining(queueA) + mq.remaining(queueB) > 0);
              i++) {
            Thread.sleep(50);
          }
        }
        assertEquals(List.of(hostA), sinkA.accepted.stream().map(HostEvent::hostId).toList());
        assertEquals(List.of(hostB), sinkB.accepted.stream().map(HostEvent::hostId).toList());
        assertEquals(0, mq.remaining(queueA) + mq.remaining(queueB));
      }
    }
  }

  private static String tagged(Ec2Fixture fx, String cluster) {
    return fx.fake.addInstance(
            "c8i.2xlarge",
            "us-east-1a",
            true,
            Map.of(Ec2Tags.CLUSTER, cluster, Ec2Tags.MANAGED, "true"),
            "running")
        .id;
  }
}
