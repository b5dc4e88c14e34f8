package io.spotnest.jenkins;

import java.util.Optional;

/** Whether the fleet the orchestrator runs on can start, and if not the one line saying why. */
interface FleetReadiness {
  Optional<String> problem();

  /** The installed orchestrator's answer: started (or starting now), or its one-line error. */
  static FleetReadiness installed() {
    return () -> {
      try {
        SpotNestBackend.installed().controller();
        return Optional.empty();
      } catch (RuntimeException e) {
        return Optional.of(String.valueOf(e.getMessage()));
      }
    };
  }
}
