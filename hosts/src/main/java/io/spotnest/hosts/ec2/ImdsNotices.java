package io.spotnest.hosts.ec2;

import static io.spotnest.hosts.events.JsonFields.instant;
import static io.spotnest.hosts.events.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotnest.hosts.HostEvent;
import io.spotnest.hosts.events.JsonFields;
import io.spotnest.hosts.events.MalformedEventException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns instance-metadata documents relayed by the host watcher into host events. IMDS gives no
 * event id, so the id is a SHA-256 of instance id, kind and payload: the same notice polled again
 * maps to the same id.
 */
public final class ImdsNotices {
  /** Payload of {@code /latest/meta-data/spot/instance-action}: {"action": ..., "time": ...}. */
  public static final String SPOT_INSTANCE_ACTION = "spot-instance-action";

  /** Payload of {@code /latest/meta-data/events/recommendations/rebalance}: {"noticeTime": ...}. */
  public static final String REBALANCE = "rebalance-recommendation";

  public HostEvent parse(String instanceId, String kind, String payload)
      throws MalformedEventException {
    if (instanceId == null || !instanceId.matches("i-[0-9a-f]{8,17}")) {
      throw new MalformedEventException(
          "field 'instanceId' is not an EC2 instance id: '" + instanceId + "'");
    }
    JsonNode doc = JsonFields.object("field 'payload'", payload);
    String id = "imds-" + sha256(instanceId + "\n" + kind + "\n" + payload);
    if (SPOT_INSTANCE_ACTION.equals(kind)) {
      return new HostEvent.InterruptionNotice(
          id, instanceId, instant(doc, "time"), text(doc, "action"));
    }
    if (REBALANCE.equals(kind)) {
      return new HostEvent.RebalanceRecommendation(id, instanceId, instant(doc, "noticeTime"));
    }
    throw new MalformedEventException(
        "field 'kind' must be "
            + SPOT_INSTANCE_ACTION
            + " or "
            + REBALANCE
            + ", got '"
            + kind
            + "'");
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
