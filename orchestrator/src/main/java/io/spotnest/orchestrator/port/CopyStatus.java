package io.spotnest.orchestrator.port;

import java.util.Optional;

/** Where a standing copy stands, as the mover reports it. */
public sealed interface CopyStatus permits CopyStatus.Standing, CopyStatus.Ended {

  /** The stream runs and keeps the backup's copy near-current. */
  record Standing() implements CopyStatus {}

  /**
   * The stream ended by itself: the VM runs on {@code runningOn} (the backup when the guest
   * converged, which is a finished move; the source when the stream broke), or nowhere if empty.
   */
  record Ended(Optional<String> runningOn, String detail) implements CopyStatus {}
}
