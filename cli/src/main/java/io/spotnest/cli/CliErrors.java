package io.spotnest.cli;

import io.spotnest.strategy.data.DataFormatException;
import java.io.UncheckedIOException;

/** Turns input errors of the strategy commands into one clear line on stderr and exit code 2. */
final class CliErrors {
  private CliErrors() {
  }

  static int guard(Runnable body) {
    try {
      body.run();
      return 0;
    } catch (DataFormatException | UncheckedIOException | IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
  }
}
