package io.spotnest.orchestrator.journal;

/** The journal holds a record that cannot be read and is not a torn last write: refuse to guess. */
public final class JournalCorruptException extends RuntimeException {
  public JournalCorruptException(String message, Throwable cause) {
    super(message, cause);
  }
}
