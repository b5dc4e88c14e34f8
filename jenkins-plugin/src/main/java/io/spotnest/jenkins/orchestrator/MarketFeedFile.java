package io.spotnest.jenkins.orchestrator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.port.PoolReclamation;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The cloud's {@code marketFeed} file: market data about static hosts that are someone else's spot
 * capacity, written by whatever watches that capacity. JSON:
 *
 * <pre>
 * {"pools": [{"pool": "&lt;type&gt;@&lt;site&gt;", "spotUsdPerHour": 0.03, "onDemandUsdPerHour": 0.10,
 *             "interruptionBucket": 1, "reclamations": [{"id": "r-1", "at": "2026-01-01T10:00:00Z"}]}],
 *  "notices": [{"id": "n-1", "host": "&lt;static host name&gt;", "deadline": "2026-01-01T10:02:00Z"}]}
 * </pre>
 *
 * A pool listed is spot capacity (its hosts may be reclaimed); prices and the Spot Advisor bucket
 * (0..4) are optional; reclamations are of capacity in the pool that is not ours. A notice says
 * that one host will be reclaimed at its deadline. Errors are one line naming the field.
 */
final class MarketFeedFile {
  static final String FIELD = "marketFeed";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What one version of the file says.
   *
   * @param spotPools the pools listed (spot capacity)
   * @param quotes the pools' prices, for those that give both prices
   * @param reclamations reclamations seen in the pools
   * @param notices reclamation notices for single hosts
   */
  record Contents(
      Set<PoolKey> spotPools,
      List<MarketQuote> quotes,
      List<PoolReclamation> reclamations,
      List<Notice> notices) {
    static final Contents EMPTY = new Contents(Set.of(), List.of(), List.of(), List.of());

    Contents {
      spotPools = Set.copyOf(spotPools);
      quotes = List.copyOf(quotes);
      reclamations = List.copyOf(reclamations);
      notices = List.copyOf(notices);
    }
  }

  /** A host's reclamation notice. */
  record Notice(String id, String host, Instant deadline) {}

  private MarketFeedFile() {}

  /**
   * Parses the file's text; {@code at} is when the quotes were read (the file's modification time).
   *
   * @throws IllegalArgumentException one line: {@code marketFeed: <where>: <what>}
   */
  static Contents parse(String text, Instant at) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw bad("not JSON (" + e.getOriginalMessage() + ")");
    }
    if (root == null || !root.isObject()) {
      throw bad("expected a JSON object with \"pools\" and \"notices\"");
    }
    Set<PoolKey> pools = new LinkedHashSet<>();
    List<MarketQuote> quotes = new ArrayList<>();
    List<PoolReclamation> reclamations = new ArrayList<>();
    JsonNode poolList = array(root, "pools", "pools");
    for (int i = 0; i < poolList.size(); i++) {
      String where = "pools[" + i + "]";
      JsonNode p = poolList.get(i);
      PoolKey pool = pool(text(p, "pool", where));
      if (!pools.add(pool)) {
        throw bad(where + ".pool: " + pool + " is listed twice");
      }
      OptionalInt bucket = OptionalInt.empty();
      if (p.has("interruptionBucket")) {
        int b = p.path("interruptionBucket").asInt(-1);
        if (!p.path("interruptionBucket").isInt() || b < 0 || b > 4) {
          throw bad(where + ".interruptionBucket: expected 0..4");
        }
        bucket = OptionalInt.of(b);
      }
      if (p.has("spotUsdPerHour") || p.has("onDemandUsdPerHour")) {
        double spot = price(p, "spotUsdPerHour", where);
        double onDemand = price(p, "onDemandUsdPerHour", where);
        quotes.add(new MarketQuote(pool, at, spot, onDemand, bucket));
      } else if (bucket.isPresent()) {
        throw bad(
            where + ".interruptionBucket: give spotUsdPerHour and onDemandUsdPerHour with it");
      }
      JsonNode recl = array(p, "reclamations", where + ".reclamations");
      for (int r = 0; r < recl.size(); r++) {
        String rw = where + ".reclamations[" + r + "]";
        reclamations.add(
            new PoolReclamation(pool, text(recl.get(r), "id", rw), instant(recl.get(r), "at", rw)));
      }
    }
    List<Notice> notices = new ArrayList<>();
    JsonNode noticeList = array(root, "notices", "notices");
    for (int i = 0; i < noticeList.size(); i++) {
      String where = "notices[" + i + "]";
      JsonNode n = noticeList.get(i);
      notices.add(
          new Notice(text(n, "id", where), text(n, "host", where), instant(n, "deadline", where)));
    }
    return new Contents(pools, quotes, reclamations, notices);
  }

  private static JsonNode array(JsonNode parent, String name, String where) {
    JsonNode a = parent.path(name);
    if (a.isMissingNode() || a.isNull()) {
      return JSON.createArrayNode();
    }
    if (!a.isArray()) {
      throw bad(where + ": expected a list");
    }
    return a;
  }

  private static String text(JsonNode node, String name, String where) {
    JsonNode v = node.path(name);
    if (!v.isTextual() || v.asText().isBlank()) {
      throw bad(where + "." + name + ": required, a string");
    }
    return v.asText().trim();
  }

  private static PoolKey pool(String text) {
    int at = text.indexOf('@');
    if (at <= 0 || at == text.length() - 1) {
      throw bad("pool: expected <type>@<site> as in the static hosts' pool=, got '" + text + "'");
    }
    return new PoolKey(text.substring(0, at), text.substring(at + 1));
  }

  private static double price(JsonNode node, String name, String where) {
    JsonNode v = node.path(name);
    if (!v.isNumber() || v.asDouble() < 0) {
      throw bad(where + "." + name + ": expected a price of zero or more (both prices or none)");
    }
    return v.asDouble();
  }

  private static Instant instant(JsonNode node, String name, String where) {
    String t = text(node, name, where);
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      throw bad(where + "." + name + ": expected an ISO-8601 instant like 2026-01-01T10:00:00Z");
    }
  }

  private static IllegalArgumentException bad(String what) {
    return new IllegalArgumentException(FIELD + ": " + what);
  }
}
