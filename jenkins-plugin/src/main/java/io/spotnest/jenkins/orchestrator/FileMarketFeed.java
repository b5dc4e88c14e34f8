package io.spotnest.jenkins.orchestrator;

import io.spotnest.orchestrator.port.MarketFeed;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.port.PoolReclamation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * The {@link MarketFeed} of a cloud's {@code marketFeed} file ({@link MarketFeedFile}): read again
 * whenever its modification time or size changes (each tick asks). A file that is missing or cannot
 * be used keeps the last good contents, and says why in one line, once per distinct problem.
 */
final class FileMarketFeed implements MarketFeed {
  private static final Logger LOGGER = Logger.getLogger(FileMarketFeed.class.getName());
  private final Path file;
  private MarketFeedFile.Contents contents = MarketFeedFile.Contents.EMPTY;
  private FileTime readTime;
  private long readSize = -1;
  private String lastProblem;

  FileMarketFeed(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  /** The file's contents now (read again if it changed). */
  synchronized MarketFeedFile.Contents contents() {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      long size = Files.size(file);
      if (modified.equals(readTime) && size == readSize) {
        return contents;
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      contents = MarketFeedFile.parse(text, modified.toInstant());
      readTime = modified;
      readSize = size;
      lastProblem = null;
    } catch (NoSuchFileException e) {
      problem(MarketFeedFile.FIELD + ": " + file + " does not exist (yet)");
    } catch (IOException e) {
      problem(MarketFeedFile.FIELD + ": cannot read " + file + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      problem(
          e.getMessage()
              .replaceFirst(
                  "^" + MarketFeedFile.FIELD + ": ", MarketFeedFile.FIELD + ": " + file + ": "));
    }
    return contents;
  }

  /** The file's problem, or null when it was last read cleanly. */
  synchronized String problem() {
    return lastProblem;
  }

  @Override
  public List<MarketQuote> quotes() {
    return contents().quotes();
  }

  @Override
  public List<PoolReclamation> reclamations() {
    return contents().reclamations();
  }

  private void problem(String line) {
    if (!line.equals(lastProblem)) {
      LOGGER.warning("SpotNest: " + line + "; the last good market data stays in use");
      lastProblem = line;
    }
  }
}
