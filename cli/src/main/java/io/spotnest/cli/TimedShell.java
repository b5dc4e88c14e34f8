package io.spotnest.cli;

import java.time.Duration;

/**
 * A shell that runs one command at a time and says how long it took: the seam of the nesting bench
 * between its measurement and the machine (the host itself, or a VM's console).
 */
interface TimedShell extends AutoCloseable {

  /**
   * Runs {@code command} and returns its wall-clock time.
   *
   * @throws IllegalStateException when the command fails or does not finish in time
   */
  Duration time(String command);

  @Override
  void close();
}
