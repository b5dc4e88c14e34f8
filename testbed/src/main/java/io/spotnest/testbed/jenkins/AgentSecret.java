package io.spotnest.testbed.jenkins;

/**
 * An inbound agent's secret as Jenkins issued it. Held in memory only; {@link #toString()} never
 * shows it, so it cannot end up in a log or an assertion message by accident.
 */
public record AgentSecret(String value) {

  public AgentSecret {
    if (value == null || !value.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("an agent secret is 64 hex digits");
    }
  }

  @Override
  public String toString() {
    return "AgentSecret[hidden]";
  }
}
