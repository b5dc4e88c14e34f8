package io.spotnest.jenkins;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the root logger gets during each test, one line per record: its message and parameters (so a
 * test can check that no secret is logged).
 */
final class CapturedLogs extends Handler implements BeforeEachCallback, AfterEachCallback {
  private final List<String> lines = new CopyOnWriteArrayList<>();

  @Override
  public void beforeEach(ExtensionContext context) {
    Logger.getLogger("").addHandler(this);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Logger.getLogger("").removeHandler(this);
  }

  @Override
  public void publish(LogRecord r) {
    lines.add(r.getMessage() + " " + Arrays.toString(r.getParameters()));
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  /** The lines so far. */
  List<String> lines() {
    return List.copyOf(lines);
  }
}
