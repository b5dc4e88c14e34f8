package io.spotnest.orchestrator.journal;

import java.io.IOException;

/** The journal could not be written or read; the caller must not act on the record. */
public final class JournalIoException extends RuntimeException {
  public JournalIoException(String message, IOException cause) {
    super(message, cause);
  }
}
