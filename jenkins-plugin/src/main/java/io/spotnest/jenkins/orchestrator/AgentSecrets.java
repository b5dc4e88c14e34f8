package io.spotnest.jenkins.orchestrator;

import hudson.model.Computer;
import hudson.slaves.SlaveComputer;
import io.spotnest.jenkins.port.AgentSecret;
import io.spotnest.orchestrator.port.BootSecret;
import io.spotnest.orchestrator.port.SecretSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import jenkins.model.Jenkins;

/**
 * The orchestrator's {@link SecretSource} on the Jenkins side: an agent's inbound secret, by the
 * agent's name (the reference its boot spec journals). The secret a launch handed over is kept in
 * memory only, until the agent is terminated; otherwise (e.g. an agent booted again after a
 * controller restart) Jenkins recomputes it from the agent's name.
 */
public final class AgentSecrets implements SecretSource {
  private final Map<String, AgentSecret> given = new ConcurrentHashMap<>();
  private final Function<String, Optional<String>> recompute;

  /**
   * @param recompute the secret Jenkins derives for an agent name, empty when it has no such agent
   */
  public AgentSecrets(Function<String, Optional<String>> recompute) {
    this.recompute = recompute;
  }

  /** The secrets of the agents of the running Jenkins. */
  public static AgentSecrets ofJenkins() {
    return new AgentSecrets(AgentSecrets::inboundSecret);
  }

  void remember(String agentName, AgentSecret secret) {
    given.put(agentName, secret);
  }

  void forget(String agentName) {
    given.remove(agentName);
  }

  @Override
  public Optional<BootSecret> secret(String secretRef) {
    AgentSecret s = given.get(secretRef);
    if (s != null) {
      return Optional.of(new BootSecret(s.value()));
    }
    return recompute.apply(secretRef).filter(v -> !v.isEmpty()).map(BootSecret::new);
  }

  private static Optional<String> inboundSecret(String agentName) {
    Jenkins j = Jenkins.getInstanceOrNull();
    Computer c = j == null ? null : j.getComputer(agentName);
    return c instanceof SlaveComputer sc ? Optional.ofNullable(sc.getJnlpMac()) : Optional.empty();
  }
}
