package io.spotnest.jenkins.port;

import java.util.Objects;

/** The inbound agent's secret: it reaches the VM through its config disk and is never printed. */
public record AgentSecret(String value) {
  public AgentSecret {
    Objects.requireNonNull(value, "value");
  }

  @Override
  public String toString() {
    return "AgentSecret[****]";
  }
}
