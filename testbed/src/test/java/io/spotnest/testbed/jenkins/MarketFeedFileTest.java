package io.spotnest.testbed.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarketFeedFileTest {
  @TempDir Path dir;

  @Test
  void calmThenRisingWithNoticesReplaceTheFileWhole() throws Exception {
    Path file = dir.resolve("market-feed.json");
    MarketFeedFile feed = new MarketFeedFile(file, "lab.vm@spot7");
    feed.writeCalm();
    JsonNode calm = new ObjectMapper().readTree(file.toFile());
    assertEquals("lab.vm@spot7", calm.path("pools").get(0).path("pool").asText());
    assertEquals(0, calm.path("pools").get(0).path("interruptionBucket").asInt());

    Instant deadline = Instant.parse("2026-01-01T00:04:00Z");
    feed.writeRising(List.of(new MarketFeedFile.Notice("snh7x1", deadline)));
    JsonNode rising = new ObjectMapper().readTree(file.toFile());
    JsonNode pool = rising.path("pools").get(0);
    assertEquals(4, pool.path("interruptionBucket").asInt());
    assertEquals(6, pool.path("reclamations").size());
    assertEquals(
        pool.path("onDemandUsdPerHour").asDouble(), pool.path("spotUsdPerHour").asDouble());
    assertEquals("snh7x1", rising.path("notices").get(0).path("host").asText());
    assertEquals(deadline.toString(), rising.path("notices").get(0).path("deadline").asText());
    assertFalse(Files.exists(dir.resolve("market-feed.json.new")), "nothing left aside");
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }
}
