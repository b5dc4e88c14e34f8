package io.spotnest.hosts.ec2;

import java.time.Instant;

/** EC2 events in the shape EventBridge documents and delivers to SQS. */
final class EventBridgeJson {
  private EventBridgeJson() {}

  static String interruption(String id, String instanceId, Instant time) {
    return event(
        id,
        EventBridgeEvents.INTERRUPTION,
        time,
        instanceId,
        "{\"instance-id\":\"" + instanceId + "\",\"instance-action\":\"terminate\"}");
  }

  static String rebalance(String id, String instanceId, Instant time) {
    return event(
        id,
        EventBridgeEvents.REBALANCE,
        time,
        instanceId,
        "{\"instance-id\":\"" + instanceId + "\"}");
  }

  static String stateChange(String id, String instanceId, Instant time, String state) {
    return event(
        id,
        EventBridgeEvents.STATE_CHANGE,
        time,
        instanceId,
        "{\"instance-id\":\"" + instanceId + "\",\"state\":\"" + state + "\"}");
  }

  private static String event(
      String id, String type, Instant time, String instanceId, String detail) {
    return "{\"version\":\"0\",\"id\":\""
        + id
        + "\",\"detail-type\":\""
        + type
        + "\",\"source\":\"aws.ec2\","
        + "\"account\":\"123456789012\",\"time\":\""
        + time
        + "\",\"region\":\"us-east-1\","
        + "\"resources\":[\"arn:aws:ec2:us-east-1:123456789012:instance/"
        + instanceId
        + "\"],\"detail\":"
        + detail
        + "}";
  }
}
