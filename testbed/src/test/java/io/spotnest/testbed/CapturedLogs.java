package io.spotnest.testbed;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the root logger gets during each test, one line per record, for tests that check what is (or
 * is not) logged: a JUnit extension ({@code @RegisterExtension}).
 */
public final class CapturedLogs extends Handler implements BeforeEachCallback, AfterEachCallback {
  private final Level level;
  private final Function<LogRecord, String> line;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private Level rootLevel;

  private CapturedLogs(Level level, Function<LogRecord, String> line) {
    this.level = level;
    this.line = line;
  }

  /** Each record's message and parameters, at the levels the root logger passes already. */
  public static CapturedLogs messages() {
    return new CapturedLogs(null, r -> r.getMessage() + " " + Arrays.toString(r.getParameters()));
  }

  /** Every record, of every level, formatted as the console shows it (its exception included). */
  public static CapturedLogs everything() {
    return new CapturedLogs(Level.ALL, new SimpleFormatter()::format);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Logger root = Logger.getLogger("");
    if (level != null) {
      rootLevel = root.getLevel();
      root.setLevel(level);
      setLevel(level);
    }
    root.addHandler(this);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Logger root = Logger.getLogger("");
    root.removeHandler(this);
    if (level != null) {
      root.setLevel(rootLevel);
    }
  }

  @Override
  public void publish(LogRecord r) {
    lines.add(line.apply(r));
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  /** The lines so far. */
  public List<String> lines() {
    return List.copyOf(lines);
  }
}
