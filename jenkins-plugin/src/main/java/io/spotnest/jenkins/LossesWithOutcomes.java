package io.spotnest.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The dashboard's {@code /api/losses} as the admin page reads it: each loss with {@code jenkins},
 * one line of text saying what Jenkins did with the builds on the lost agent ({@link
 * LostBuildOutcomes#describe}).
 */
final class LossesWithOutcomes {
  private final ObjectMapper mapper = new ObjectMapper();

  /** {@code losses} (the dashboard's JSON array) with each loss's {@code jenkins} line added. */
  byte[] of(byte[] losses, LostBuildOutcomes outcomes) {
    try {
      JsonNode all = mapper.readTree(losses);
      for (JsonNode loss : all) {
        JsonNode at = loss.path("atEpochMs");
        ((ObjectNode) loss)
            .put(
                "jenkins",
                outcomes.describe(
                    loss.path("agent").asText(), at.isNumber() ? Long.valueOf(at.asLong()) : null));
      }
      return mapper.writeValueAsBytes(all);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the losses document", e);
    }
  }
}
