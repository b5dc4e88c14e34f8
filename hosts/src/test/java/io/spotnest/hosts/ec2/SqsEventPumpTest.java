package io.spotnest.hosts.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.HostEvent;
import io.spotnest.hosts.HostEventSink;
import io.spotnest.hosts.SinkUnavailableException;
import io.spotnest.hosts.events.Disposition;
import io.spotnest.hosts.events.EventIntake;
import io.spotnest.hosts.events.EventOrder;
import io.spotnest.hosts.events.RecordingObserver;
import io.spotnest.hosts.events.SeenEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SQS path against a real elasticmq server: delete only after durable, dedup, drop junk, keep
 * failures.
 */
class SqsEventPumpTest {
  private static final Instant T = Instant.parse("2026-11-23T12:00:00Z");
  private static final SqsEventPump.Settings FAST =
      new SqsEventPump.Settings(
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          Duration.ofMillis(100),
          Duration.ofSeconds(1));
  private static ElasticMq mq;

  private String queue;
  private final List<HostEvent> durable = Collections.synchronizedList(new ArrayList<>());
  private final RecordingObserver observer = new RecordingObserver();
  private final List<String> dropped = observer.dropped;
  private final List<RuntimeException> propagated = observer.propagated;

  @BeforeAll
  static void startServer() {
    mq = new ElasticMq();
  }

  @AfterAll
  static void stopServer() {
    mq.close();
  }

  @BeforeEach
  void newQueue() {
    queue = mq.createQueue("events-" + UUID.randomUUID());
  }

  private SqsEventPump pump(HostEventSink sink) {
    return pump(sink, FAST);
  }

  private SqsEventPump pump(HostEventSink sink, SqsEventPump.Settings settings) {
    EventIntake intake =
        new EventIntake(
            sink, id -> id.startsWith("i-0"), SeenEvents.standard(Clock.systemUTC()), observer);
    return new SqsEventPump(mq.sqs, queue, settings, intake);
  }

  @Test
  void interruptionAndRebalanceAreParsedAndDeletedOnceDurable() {
    mq.send(queue, EventBridgeJson.interruption("ev-1", "i-0aaa", T));
    mq.send(queue, EventBridgeJson.rebalance("ev-2", "i-0bbb", T));
    mq.send(queue, EventBridgeJson.stateChange("ev-3", "i-0ccc", T, "terminated"));
    List<Disposition> outcomes = drain(pump(durable::add));

    assertEquals(3, outcomes.stream().filter(d -> d == Disposition.HANDLED).count());
    HostEvent.InterruptionNotice n =
        (HostEvent.InterruptionNotice)
            durable.stream().filter(e -> e.eventId().equals("ev-1")).findFirst().orElseThrow();
    assertEquals("i-0aaa", n.hostId());
    assertEquals(
        T.plusSeconds(120),
        n.deadline(),
        "EventBridge warning comes two minutes before the reclaim");
    assertInstanceOf(
        HostEvent.RebalanceRecommendation.class,
        durable.stream().filter(e -> e.eventId().equals("ev-2")).findFirst().orElseThrow());
    assertInstanceOf(
        HostEvent.HostGone.class,
        durable.stream().filter(e -> e.eventId().equals("ev-3")).findFirst().orElseThrow());
    assertEquals(0, mq.remaining(queue));
  }

  @Test
  void aMessageStaysQueuedUntilTheSinkMadeItDurableAndARetryComesBackSoon() throws Exception {
    int[] calls = {0};
    // 30 s visibility: only the shortened visibility of a retry (1 s) lets it come back within this
    // test
    SqsEventPump pump =
        pump(
            e -> {
              if (calls[0]++ == 0) {
                throw new SinkUnavailableException("journal unavailable");
              }
              durable.add(e);
            },
            new SqsEventPump.Settings(
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                Duration.ofMillis(100),
                Duration.ofSeconds(1)));
    mq.send(queue, EventBridgeJson.interruption("ev-1", "i-0aaa", T));

    assertEquals(List.of(Disposition.RETRY), pump.pollOnce());
    assertEquals(1, mq.remaining(queue), "not deleted after a failed sink");
    assertEquals(List.of(), durable);

    Thread.sleep(1_500); // the retry delay (1 s) passes and SQS delivers it again
    assertEquals(List.of(Disposition.HANDLED), drain(pump));
    assertEquals(1, durable.size());
    assertEquals(0, mq.remaining(queue));
  }

  @Test
  void aPropagatedFailureIsReportedAndKeptWhileOtherEventsFlow() {
    SqsEventPump pump =
        pump(
            e -> {
              if (e.hostId().equals("i-0bad")) {
                throw new IllegalStateException("cordon failed");
              }
              durable.add(e);
            });
    mq.send(queue, EventBridgeJson.interruption("ev-bad", "i-0bad", T));
    mq.send(queue, EventBridgeJson.interruption("ev-ok", "i-0ok", T));
    List<Disposition> outcomes = drain(pump);

    assertTrue(
        outcomes.contains(Disposition.PROPAGATED) && outcomes.contains(Disposition.HANDLED),
        outcomes.toString());
    assertEquals(List.of("ev-ok"), durable.stream().map(HostEvent::eventId).toList());
    assertEquals("cordon failed", propagated.get(0).getMessage());
    assertEquals(1, mq.remaining(queue), "the failed event stays queued");
  }

  @Test
  void duplicatesAndJunkAreDeletedWithoutStoppingTheStream() {
    mq.send(queue, "not json at all");
    mq.send(
        queue,
        "{\"id\":\"x\",\"detail-type\":\"EC2 AMI State Change\",\"time\":\"2026-11-23T12:00:00Z\",\"detail\":{\"instance-id\":\"i-0a\"}}");
    mq.send(queue, EventBridgeJson.interruption("ev-foreign", "i-9foreign", T));
    mq.send(queue, EventBridgeJson.stateChange("ev-run", "i-0aaa", T, "running"));
    mq.send(queue, EventBridgeJson.interruption("ev-1", "i-0aaa", T));
    mq.send(queue, EventBridgeJson.interruption("ev-1", "i-0aaa", T));
    List<Disposition> outcomes = drain(pump(durable::add));

    assertEquals(6, outcomes.size());
    assertEquals(
        List.of("ev-1"),
        durable.stream().map(HostEvent::eventId).toList(),
        "one effect for the duplicate pair");
    assertEquals(4, dropped.size(), dropped.toString());
    assertTrue(dropped.stream().anyMatch(d -> d.contains("not JSON")));
    assertTrue(
        dropped.stream()
            .anyMatch(d -> d.contains("unsupported detail-type 'EC2 AMI State Change'")));
    assertTrue(dropped.stream().anyMatch(d -> d.contains("i-9foreign")));
    assertEquals(0, mq.remaining(queue));
  }

  @Test
  void aWarningWhoseDeadlineIsPastTheLastInstantIsDroppedAndTheRestOfItsBatchFlows() {
    // Instant.parse takes this (it is Instant.MAX to the second), but the deadline two minutes on
    // is no Instant
    String poison =
        EventBridgeJson.interruption("ev-far", "i-0far", T)
            .replace(T.toString(), "+1000000000-12-31T23:59:59Z");
    mq.sqs.sendMessageBatch(
        r ->
            r.queueUrl(queue)
                .entries(
                    software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder()
                        .id("0")
                        .messageBody(poison)
                        .build(),
                    software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder()
                        .id("1")
                        .messageBody(EventBridgeJson.interruption("ev-ok", "i-0ok", T))
                        .build()));
    List<Disposition> outcomes = drain(pump(durable::add));

    assertEquals(List.of("ev-ok"), durable.stream().map(HostEvent::eventId).toList());
    assertTrue(
        dropped.stream().anyMatch(d -> d.contains("'time'") && d.contains("ev-far")),
        dropped.toString());
    assertEquals(2, outcomes.size(), outcomes.toString());
    assertEquals(0, mq.remaining(queue), "the junk message does not come back with every batch");
  }

  @Test
  void withinABatchInterruptionsGoFirstByDeadline() {
    List<String> batch = new ArrayList<>();
    batch.add(EventBridgeJson.rebalance("r1", "i-0r1", T.minusSeconds(30)));
    batch.add(EventBridgeJson.stateChange("g1", "i-0g1", T, "terminated"));
    for (int i = 0; i < 6; i++) {
      batch.add(EventBridgeJson.interruption("n" + i, "i-0n" + i, T.plusSeconds((i * 37) % 11)));
    }
    mq.sqs.sendMessageBatch(
        r ->
            r.queueUrl(queue)
                .entries(
                    batch.stream()
                        .map(
                            b ->
                                software.amazon.awssdk.services.sqs.model
                                    .SendMessageBatchRequestEntry.builder()
                                    .id(Integer.toString(batch.indexOf(b)))
                                    .messageBody(b)
                                    .build())
                        .toList()));
    SqsEventPump pump = pump(durable::add);
    List<List<HostEvent>> batches = new ArrayList<>();
    int seen = 0;
    for (int polls = 0; polls < 10 && durable.size() < batch.size(); polls++) {
      pump.pollOnce();
      batches.add(List.copyOf(durable.subList(seen, durable.size())));
      seen = durable.size();
    }
    assertEquals(batch.size(), durable.size());
    System.out.println(
        "ordering test: batch sizes as received " + batches.stream().map(List::size).toList());
    for (List<HostEvent> b : batches) {
      List<HostEvent> sorted = new ArrayList<>(b);
      sorted.sort(EventOrder.URGENCY);
      assertEquals(sorted, b, "each received batch is handled most urgent first");
    }
  }

  @Test
  void closingDuringALongPollHandsTheBatchBackAndLeavesNoRequestOpen() throws Exception {
    // 5 s long poll, 60 s visibility: a message the closing pump kept would stay hidden for a
    // minute
    SqsEventPump pump =
        pump(
            durable::add,
            new SqsEventPump.Settings(
                Duration.ofSeconds(5),
                Duration.ofSeconds(60),
                Duration.ofMillis(100),
                Duration.ofSeconds(1)));
    pump.start();
    Thread.sleep(300); // the first long poll is now waiting on the server
    Thread closer =
        new Thread(
            () -> {
              try {
                pump.close();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "closer");
    closer.start();
    while (!pump.closing()) {
      Thread.onSpinWait();
    }
    mq.send(
        queue,
        EventBridgeJson.interruption("ev-late", "i-0aaa", T)); // the poll in flight receives it
    closer.join(15_000);

    assertTrue(!closer.isAlive(), "close returned once the poll in flight did");
    assertEquals(List.of(), durable, "nothing is handed to the intake after close began");
    List<String> visible =
        mq
            .sqs
            .receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(0))
            .messages()
            .stream()
            .map(m -> m.body())
            .toList();
    assertEquals(
        1,
        visible.size(),
        "the late message is back in the queue at once, not hidden for the visibility timeout");
    assertTrue(visible.get(0).contains("ev-late"));
    assertThrows(IllegalStateException.class, pump::start, "a closed pump does not start again");
  }

  /** Polls until a poll acknowledges nothing; returns every disposition. */
  private static List<Disposition> drain(SqsEventPump pump) {
    List<Disposition> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      List<Disposition> got = pump.pollOnce();
      all.addAll(got);
      if (got.stream().noneMatch(Disposition::acknowledge)) {
        break;
      }
    }
    return all;
  }
}
