package io.spotnest.hosts.ec2;

import io.spotnest.hosts.DaemonThreads;
import io.spotnest.hosts.HostEvent;
import io.spotnest.hosts.events.Disposition;
import io.spotnest.hosts.events.EventIntake;
import io.spotnest.hosts.events.EventOrder;
import io.spotnest.hosts.events.MalformedEventException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Pulls EC2 events from the SQS queue that EventBridge feeds and hands them to the intake. A
 * message is deleted only when the intake says its effect is durable (or that it is junk);
 * everything else reappears after the visibility timeout. Within a batch, interruption notices go
 * first, earliest deadline first.
 */
public final class SqsEventPump implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SqsEventPump.class.getName());
  private static final String SOURCE = "sqs";

  private final SqsClient sqs;
  private final String queueUrl;
  private final Settings settings;
  private final EventIntake intake;
  private final EventBridgeEvents parser = new EventBridgeEvents();
  private final CountDownLatch stop = new CountDownLatch(1);
  private volatile Thread worker;

  /**
   * @param waitTime long-poll wait (0..20 s)
   * @param visibilityTimeout how long a received message stays hidden before it is delivered again
   *     (1..119 s)
   * @param errorBackoff pause after a failed receive
   * @param retryDelay how soon a message whose handling must be retried is delivered again
   *     (0..visibilityTimeout)
   */
  public record Settings(
      Duration waitTime, Duration visibilityTimeout, Duration errorBackoff, Duration retryDelay) {
    public Settings {
      if (waitTime.isNegative() || waitTime.getSeconds() > 20) {
        throw new IllegalArgumentException("sqs.waitTime must be within 0..20 s, got " + waitTime);
      }
      if (visibilityTimeout.getSeconds() < 1 || visibilityTimeout.getSeconds() > 119) {
        throw new IllegalArgumentException(
            "sqs.visibilityTimeout must be within 1..119 s, got " + visibilityTimeout);
      }
      if (errorBackoff.isNegative()) {
        throw new IllegalArgumentException(
            "sqs.errorBackoff must not be negative, got " + errorBackoff);
      }
      if (retryDelay.isNegative() || retryDelay.compareTo(visibilityTimeout) > 0) {
        throw new IllegalArgumentException(
            "sqs.retryDelay must be within 0..visibilityTimeout, got " + retryDelay);
      }
    }

    /**
     * 20 s long poll, 20 s visibility, 2 s pause after errors, retries delivered again after 2 s.
     */
    public static Settings standard() {
      return new Settings(
          Duration.ofSeconds(20),
          Duration.ofSeconds(20),
          Duration.ofSeconds(2),
          Duration.ofSeconds(2));
    }
  }

  public SqsEventPump(SqsClient sqs, String queueUrl, Settings settings, EventIntake intake) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    if (queueUrl == null || queueUrl.isBlank()) {
      throw new IllegalArgumentException("queueUrl must not be blank");
    }
    this.queueUrl = queueUrl;
    this.settings = Objects.requireNonNull(settings, "settings");
    this.intake = Objects.requireNonNull(intake, "intake");
  }

  /**
   * Receives one batch (up to 10), handles it, deletes what may be deleted; returns the
   * dispositions.
   */
  public List<Disposition> pollOnce() {
    return handle(receive());
  }

  private List<Message> receive() {
    ReceiveMessageResponse received =
        sqs.receiveMessage(
            r ->
                r.queueUrl(queueUrl)
                    .maxNumberOfMessages(10)
                    .waitTimeSeconds((int) settings.waitTime().getSeconds())
                    .visibilityTimeout((int) settings.visibilityTimeout().getSeconds()));
    return received.messages();
  }

  private List<Disposition> handle(List<Message> batch) {
    List<Disposition> outcomes = new ArrayList<>();
    List<DeleteMessageBatchRequestEntry> deletions = new ArrayList<>();
    List<Message> retries = new ArrayList<>();
    List<Parsed> parsed = new ArrayList<>();
    for (Message m : batch) {
      try {
        Optional<HostEvent> event = parser.parse(m.body());
        if (event.isPresent()) {
          parsed.add(new Parsed(m, event.get()));
        } else {
          record(
              outcomes,
              deletions,
              m,
              intake.reject(SOURCE, "EC2 event of no interest, message " + m.messageId()));
        }
      } catch (MalformedEventException e) {
        record(
            outcomes,
            deletions,
            m,
            intake.reject(SOURCE, "message " + m.messageId() + ": " + e.getMessage()));
      }
    }
    parsed.sort((a, b) -> EventOrder.URGENCY.compare(a.event(), b.event()));
    for (Parsed p : parsed) {
      Disposition d = intake.offer(SOURCE, p.event());
      record(outcomes, deletions, p.message(), d);
      if (d == Disposition.RETRY) {
        retries.add(p.message());
      }
    }
    delete(deletions);
    changeVisibility(retries, settings.retryDelay());
    return outcomes;
  }

  private record Parsed(Message message, HostEvent event) {}

  private static void record(
      List<Disposition> outcomes,
      List<DeleteMessageBatchRequestEntry> deletions,
      Message m,
      Disposition d) {
    outcomes.add(d);
    if (d.acknowledge()) {
      deletions.add(
          DeleteMessageBatchRequestEntry.builder()
              .id(Integer.toString(deletions.size()))
              .receiptHandle(m.receiptHandle())
              .build());
    }
  }

  private void delete(List<DeleteMessageBatchRequestEntry> deletions) {
    if (deletions.isEmpty()) {
      return;
    }
    DeleteMessageBatchResponse response =
        sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(deletions));
    // A failed delete only means the message comes back; the intake then sees a duplicate.
    response
        .failed()
        .forEach(
            f ->
                LOG.log(
                    System.Logger.Level.WARNING,
                    "could not delete SQS message (entry {0}): {1}",
                    f.id(),
                    f.code()));
  }

  /**
   * Makes messages visible again after {@code delay} instead of the full visibility timeout. A
   * notice has a two-minute deadline, so a transient failure should not wait out the whole timeout,
   * and a batch received while closing is handed back at once for the next subscriber. Messages
   * whose handling failed for another reason (propagated) keep the full timeout. Not fatal if it
   * fails: the messages still come back after the visibility timeout.
   */
  private void changeVisibility(List<Message> messages, Duration delay) {
    if (messages.isEmpty() || delay.equals(settings.visibilityTimeout())) {
      return;
    }
    List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
    for (Message m : messages) {
      entries.add(
          ChangeMessageVisibilityBatchRequestEntry.builder()
              .id(Integer.toString(entries.size()))
              .receiptHandle(m.receiptHandle())
              .visibilityTimeout((int) delay.getSeconds())
              .build());
    }
    try {
      sqs.changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl).entries(entries));
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "could not change the visibility of " + messages.size() + " SQS message(s)",
          e);
    }
  }

  /**
   * Starts polling on a daemon thread until {@link #close()}. Receive failures pause and retry.
   * Once only.
   */
  public synchronized void start() {
    if (worker != null || stop.getCount() == 0) {
      throw new IllegalStateException(worker != null ? "already started" : "closed");
    }
    worker = DaemonThreads.start("spotnest-sqs-events", this::loop);
  }

  /**
   * True from the moment {@link #close()} begins: received events are no longer handed to the
   * intake.
   */
  boolean closing() {
    return stop.getCount() == 0;
  }

  private void loop() {
    while (!closing()) {
      try {
        List<Message> batch = receive();
        if (closing()) {
          changeVisibility(batch, Duration.ZERO);
          return;
        }
        handle(batch);
      } catch (RuntimeException e) {
        if (closing()) {
          return;
        }
        LOG.log(
            System.Logger.Level.WARNING,
            "SQS receive failed; retrying after " + settings.errorBackoff(),
            e);
        try {
          if (stop.await(settings.errorBackoff().toMillis(), TimeUnit.MILLISECONDS)) {
            return;
          }
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * Stops polling and waits for the receive in flight, at most the long-poll wait plus 5 s. The
   * worker is not interrupted: an interrupt aborts the SDK call half-way and leaves its HTTP
   * connection open with a request the server never sees finish. A batch that arrives after close
   * began is not handled but handed back to the queue.
   */
  @Override
  public void close() throws InterruptedException {
    Thread w;
    synchronized (this) {
      stop.countDown();
      w = worker;
      worker = null;
    }
    if (w != null) {
      w.join(settings.waitTime().toMillis() + 5_000);
      if (w.isAlive()) {
        LOG.log(
            System.Logger.Level.WARNING,
            "the SQS receive in flight has not returned; it ends on its own and hands its messages back");
      }
    }
  }
}
