package io.spotnest.jenkins;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the risk loop says about its failures: each distinct failure once (repeats only at FINE),
 * and that it runs again once one clears. A failure the port tells whole in its message (an {@link
 * IllegalStateException}: the fleet cannot start, or cannot write its journal) is one line; any
 * other is a fault of ours and carries its stack trace, once.
 */
final class LoopTrouble {
  private final Logger logger;
  private String last;

  LoopTrouble(Logger logger) {
    this.logger = logger;
  }

  /** {@code what} (ending in ": ") and why, in one line. */
  void told(String what, IllegalStateException e) {
    say(what + describe(e), null);
  }

  /** {@code what} (ending in ": ") and the exception, with its stack trace. */
  void unexpected(String what, RuntimeException e) {
    say(what + e, e);
  }

  /** The loop ran: says so once after a failure. */
  void cleared() {
    if (last != null) {
      logger.info("SpotNest risk loop running again");
      last = null;
    }
  }

  /** The message, or the exception's type when it has none. */
  static String describe(Throwable e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getName();
  }

  private void say(String line, Throwable thrown) {
    if (line.equals(last)) {
      logger.fine(line);
      return;
    }
    last = line;
    logger.log(Level.WARNING, line, thrown);
  }
}
