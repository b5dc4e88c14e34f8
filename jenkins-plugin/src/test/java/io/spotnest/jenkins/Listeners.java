package io.spotnest.jenkins;

import hudson.model.TaskListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A task listener whose log a test can read. */
final class Listeners implements TaskListener {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  static Listeners capture() {
    return new Listeners();
  }

  @Override
  public PrintStream getLogger() {
    return log;
  }

  String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
