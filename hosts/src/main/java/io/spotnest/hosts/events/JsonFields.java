package io.spotnest.hosts.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reads required fields of an event document, naming the field in every error. */
public final class JsonFields {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonFields() {}

  /** Parses a JSON object; {@code what} names the document in errors. */
  public static JsonNode object(String what, String text) throws MalformedEventException {
    if (text == null) {
      throw new MalformedEventException(what + " missing");
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new MalformedEventException(what + " is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new MalformedEventException(what + " is not a JSON object");
    }
    return node;
  }

  /** A required non-blank string field. */
  public static String text(JsonNode node, String field) throws MalformedEventException {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new MalformedEventException("field '" + field + "' missing or not a non-empty string");
    }
    return v.asText();
  }

  /** A required ISO-8601 instant field. */
  public static Instant instant(JsonNode node, String field) throws MalformedEventException {
    String t = text(node, field);
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      throw new MalformedEventException(
          "field '" + field + "' is not an ISO-8601 instant: '" + t + "'");
    }
  }
}
