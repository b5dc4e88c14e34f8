package io.spotnest.orchestrator.port;

import java.util.Optional;

/**
 * The seam the orchestrator asks for an agent's secret at boot time (a Jenkins controller can
 * recompute an inbound agent's secret from its name), so that the secret is never journaled.
 */
@FunctionalInterface
public interface SecretSource {

  /** The secret that {@code secretRef} names; empty when this source does not know it. */
  Optional<BootSecret> secret(String secretRef);

  /** A source that knows no secret (for callers whose agents carry none). */
  static SecretSource none() {
    return ref -> Optional.empty();
  }
}
