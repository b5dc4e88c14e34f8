package io.spotnest.jenkins.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spotnest.orchestrator.model.PoolKey;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The market feed file's format: what it says, and one line naming the field when it is wrong. */
class MarketFeedFileTest {
  private static final Instant READ = Instant.parse("2026-01-01T10:00:00Z");

  @Test
  void poolsWithoutPricesAreSpotPoolsWithoutQuotes() {
    MarketFeedFile.Contents c =
        MarketFeedFile.parse("{\"pools\": [{\"pool\": \"m5@rack1\"}]}", READ);
    assertEquals(Set.of(new PoolKey("m5", "rack1")), c.spotPools());
    assertEquals(List.of(), c.quotes());
    assertEquals(List.of(), c.notices());
    assertEquals(MarketFeedFile.Contents.EMPTY, MarketFeedFile.parse("{}", READ));
  }

  @Test
  void noticesNameAHostAndADeadline() {
    MarketFeedFile.Contents c =
        MarketFeedFile.parse(
            "{\"notices\": [{\"id\": \"n-1\", \"host\": \"rack1-a\","
                + " \"deadline\": \"2026-01-01T10:02:00Z\"}]}",
            READ);
    assertEquals(
        List.of(new MarketFeedFile.Notice("n-1", "rack1-a", Instant.parse("2026-01-01T10:02:00Z"))),
        c.notices());
  }

  @Test
  void errorsAreOneLineNamingTheField() {
    assertError("[]", "marketFeed: expected a JSON object");
    assertError("{\"pools\": {}}", "marketFeed: pools: expected a list");
    assertError("{\"pools\": [{}]}", "marketFeed: pools[0].pool: required, a string");
    assertError("{\"pools\": [{\"pool\": \"rack1\"}]}", "marketFeed: pool: expected <type>@<site>");
    assertError(
        "{\"pools\": [{\"pool\": \"a@b\"}, {\"pool\": \"a@b\"}]}",
        "marketFeed: pools[1].pool: a@b is listed twice");
    assertError(
        "{\"pools\": [{\"pool\": \"a@b\", \"spotUsdPerHour\": 0.1}]}",
        "marketFeed: pools[0].onDemandUsdPerHour: expected a price");
    assertError(
        "{\"pools\": [{\"pool\": \"a@b\", \"spotUsdPerHour\": 0.1, \"onDemandUsdPerHour\": 1,"
            + " \"interruptionBucket\": 7}]}",
        "marketFeed: pools[0].interruptionBucket: expected 0..4");
    assertError(
        "{\"pools\": [{\"pool\": \"a@b\", \"interruptionBucket\": 2}]}",
        "marketFeed: pools[0].interruptionBucket: give spotUsdPerHour and onDemandUsdPerHour");
    assertError(
        "{\"notices\": [{\"id\": \"n\", \"host\": \"h\", \"deadline\": \"soon\"}]}",
        "marketFeed: notices[0].deadline: expected an ISO-8601 instant");
    assertError("{\"pools\": [", "marketFeed: not JSON");
  }

  private static void assertError(String text, String start) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MarketFeedFile.parse(text, READ));
    assertEquals(true, e.getMessage().startsWith(start), e.getMessage());
    assertEquals(false, e.getMessage().contains("\n"), e.getMessage());
  }
}
