package io.spotnest.testbed.jenkins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The market feed file the SpotNest cloud's {@code marketFeed} field names, for one spot pool:
 * calm, or its risk rising with notices for hosts. Each write replaces the file at once (written
 * aside, then moved over it), so the plugin never reads half a document.
 */
public final class MarketFeedFile {
  private final Path file;
  private final String spotPool;

  public MarketFeedFile(Path file, String spotPool) {
    this.file = file;
    this.spotPool = spotPool;
  }

  public Path file() {
    return file;
  }

  /** A reclamation notice for {@code host}, due at {@code deadline}, as a feed entry. */
  public record Notice(String host, Instant deadline) {
    String json() {
      return "{\"id\": \"n-"
          + host
          + "\", \"host\": \""
          + host
          + "\", \"deadline\": \""
          + deadline
          + "\"}";
    }
  }

  /** The spot pool calm: cheap, Spot Advisor bucket 0, no reclamations. */
  public void writeCalm() throws IOException {
    write(calm());
  }

  /**
   * The spot pool's risk rising: its price at on-demand, bucket 4, and a burst of reclamations of
   * others' capacity in the pool over the last minutes; with the given notices.
   */
  public void writeRising(List<Notice> notices) throws IOException {
    write(rising(notices, Instant.now()));
  }

  String calm() {
    return "{\"pools\": [{\"pool\": \""
        + spotPool
        + "\", \"spotUsdPerHour\": 0.03, \"onDemandUsdPerHour\": 0.10,"
        + " \"interruptionBucket\": 0}]}";
  }

  String rising(List<Notice> notices, Instant now) {
    List<String> reclaimed = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      reclaimed.add("{\"id\": \"r-" + i + "\", \"at\": \"" + now.minusSeconds(30L * i) + "\"}");
    }
    return "{\"pools\": [{\"pool\": \""
        + spotPool
        + "\", \"spotUsdPerHour\": 0.10, \"onDemandUsdPerHour\": 0.10,"
        + " \"interruptionBucket\": 4, \"reclamations\": ["
        + String.join(", ", reclaimed)
        + "]}], \"notices\": ["
        + String.join(", ", notices.stream().map(Notice::json).toList())
        + "]}";
  }

  private void write(String json) throws IOException {
    Path aside = file.resolveSibling(file.getFileName() + ".new");
    Files.writeString(aside, json);
    Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
