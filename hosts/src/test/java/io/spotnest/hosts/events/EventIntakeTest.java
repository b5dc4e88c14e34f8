package io.spotnest.hosts.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.spotnest.hosts.HostEvent;
import io.spotnest.hosts.SinkUnavailableException;
import io.spotnest.testbed.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventIntakeTest {
  private static final Instant T = Instant.parse("2026-11-23T12:00:00Z");
  private final List<HostEvent> durable = new ArrayList<>();
  private final RecordingObserver observer = new RecordingObserver();
  private final List<String> dropped = observer.dropped;
  private final List<RuntimeException> propagated = observer.propagated;

  private EventIntake intake(io.spotnest.hosts.HostEventSink sink) {
    return new EventIntake(
        sink,
        id -> id.startsWith("i-ours"),
        SeenEvents.standard(Clock.fixed(T, ZoneOffset.UTC)),
        observer);
  }

  private static HostEvent notice(String id, String host) {
    return new HostEvent.InterruptionNotice(id, host, T.plusSeconds(120), "terminate");
  }

  @Test
  void handledOnceThenDuplicate() {
    EventIntake intake = intake(durable::add);
    assertEquals(Disposition.HANDLED, intake.offer("t", notice("e1", "i-ours1")));
    assertEquals(Disposition.DUPLICATE, intake.offer("t", notice("e1", "i-ours1")));
    assertEquals(1, durable.size());
  }

  @Test
  void foreignHostIsDroppedWithoutReachingTheSink() {
    EventIntake intake = intake(durable::add);
    assertEquals(Disposition.DROPPED, intake.offer("t", notice("e1", "i-theirs")));
    assertEquals(List.of(), durable);
    assertEquals(1, dropped.size());
  }

  @Test
  void transientSinkFailureIsRetriedAndNotRememberedAsSeen() {
    int[] calls = {0};
    EventIntake intake =
        intake(
            e -> {
              if (calls[0]++ == 0) {
                throw new SinkUnavailableException("journal busy");
              }
              durable.add(e);
            });
    assertEquals(Disposition.RETRY, intake.offer("t", notice("e1", "i-ours1")));
    assertEquals(Disposition.HANDLED, intake.offer("t", notice("e1", "i-ours1")));
    assertEquals(1, durable.size());
    assertEquals(List.of(), propagated);
  }

  @Test
  void otherSinkFailureIsPropagatedAndTheNextEventStillFlows() {
    IllegalStateException boom = new IllegalStateException("mark failed");
    EventIntake intake =
        intake(
            e -> {
              if (e.eventId().equals("bad")) {
                throw boom;
              }
              durable.add(e);
            });
    assertEquals(Disposition.PROPAGATED, intake.offer("t", notice("bad", "i-ours1")));
    assertEquals(Disposition.HANDLED, intake.offer("t", notice("good", "i-ours2")));
    assertSame(boom, propagated.get(0));
    assertEquals(List.of("good"), durable.stream().map(HostEvent::eventId).toList());
  }

  @Test
  void ownershipLookupFailureIsRetried() {
    EventIntake intake =
        new EventIntake(
            durable::add,
            id -> {
              throw new SinkUnavailableException("EC2 throttled");
            },
            SeenEvents.standard(Clock.systemUTC()),
            observer);
    assertEquals(Disposition.RETRY, intake.offer("t", notice("e1", "i-ours1")));
  }

  @Test
  void seenEventsExpireAndStayBounded() {
    MutableClock clock = new MutableClock(T);
    SeenEvents seen = new SeenEvents(clock, Duration.ofMinutes(10), 2);
    seen.add("a");
    seen.add("b");
    seen.add("c");
    assertEquals(
        List.of(false, true, true),
        List.of(seen.contains("a"), seen.contains("b"), seen.contains("c")));
    clock.advance(Duration.ofMinutes(10));
    assertEquals(false, seen.contains("c"));
  }

  @Test
  void urgencyOrdersNoticesByDeadlineThenGoneThenRebalance() {
    HostEvent late = new HostEvent.InterruptionNotice("1", "h", T.plusSeconds(120), "terminate");
    HostEvent early = new HostEvent.InterruptionNotice("2", "h", T.plusSeconds(60), "stop");
    HostEvent gone = new HostEvent.HostGone("3", "h", T, "terminated");
    HostEvent rebalance = new HostEvent.RebalanceRecommendation("4", "h", T.minusSeconds(600));
    List<HostEvent> events = new ArrayList<>(List.of(rebalance, gone, late, early));
    events.sort(EventOrder.URGENCY);
    assertEquals(List.of(early, late, gone, rebalance), events);
  }
}
