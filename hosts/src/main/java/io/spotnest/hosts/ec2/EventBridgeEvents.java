package io.spotnest.hosts.ec2;

import static io.spotnest.hosts.events.JsonFields.instant;
import static io.spotnest.hosts.events.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotnest.hosts.HostEvent;
import io.spotnest.hosts.events.JsonFields;
import io.spotnest.hosts.events.MalformedEventException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Parses EC2 events as EventBridge delivers them to SQS: Spot Instance Interruption Warning,
 * Instance Rebalance Recommendation, and Instance State-change Notification
 * (terminated/shutting-down/stopped become host gone).
 */
public final class EventBridgeEvents {
  /** EC2 reclaims a spot instance two minutes after the warning. */
  static final Duration SPOT_NOTICE = Duration.ofMinutes(2);

  static final String INTERRUPTION = "EC2 Spot Instance Interruption Warning";
  static final String REBALANCE = "EC2 Instance Rebalance Recommendation";
  static final String STATE_CHANGE = "EC2 Instance State-change Notification";

  /**
   * @return the event, or empty for a well-formed EC2 event we have no use for (e.g. state
   *     "running")
   * @throws MalformedEventException when the body is not an EventBridge EC2 event of a supported
   *     kind
   */
  public Optional<HostEvent> parse(String body) throws MalformedEventException {
    JsonNode root = JsonFields.object("message body", body);
    String id = text(root, "id");
    String type = text(root, "detail-type");
    Instant time = instant(root, "time");
    JsonNode detail = root.get("detail");
    if (detail == null || !detail.isObject()) {
      throw new MalformedEventException("field 'detail' missing or not an object");
    }
    String instanceId = text(detail, "instance-id");
    switch (type) {
      case INTERRUPTION:
        return Optional.of(
            new HostEvent.InterruptionNotice(
                id, instanceId, deadline(time, id), text(detail, "instance-action")));
      case REBALANCE:
        return Optional.of(new HostEvent.RebalanceRecommendation(id, instanceId, time));
      case STATE_CHANGE:
        String state = text(detail, "state");
        if (state.equals("terminated")
            || state.equals("shutting-down")
            || state.equals("stopped")) {
          return Optional.of(new HostEvent.HostGone(id, instanceId, time, "instance " + state));
        }
        return Optional.empty();
      default:
        throw new MalformedEventException(
            "unsupported detail-type '" + type + "' (event " + id + ")");
    }
  }

  /** The reclaim time; a warning too late for one is junk, not a failure of the whole batch. */
  private static Instant deadline(Instant time, String id) throws MalformedEventException {
    try {
      return time.plus(SPOT_NOTICE);
    } catch (DateTimeException e) {
      throw new MalformedEventException(
          "field 'time' leaves no room for the reclaim two minutes later: '"
              + time
              + "' (event "
              + id
              + ")");
    }
  }
}
