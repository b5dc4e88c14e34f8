package io.spotnest.orchestrator.port;

import java.util.Objects;

/**
 * An agent's secret on its way to the VM's config disk. Never journaled; its {@code toString} hides
 * the value so that it cannot reach a log by accident.
 */
public record BootSecret(String value) {
  public BootSecret {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("the secret must not be empty");
    }
  }

  @Override
  public String toString() {
    return "BootSecret[****]";
  }
}
