package io.spotnest.migration;

/** A migration could not be started; nothing was changed on either host. */
public final class MigrationException extends RuntimeException {

  private final FailureKind kind;

  public MigrationException(FailureKind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public MigrationException(FailureKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public FailureKind kind() {
    return kind;
  }
}
