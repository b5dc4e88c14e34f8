package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.port.AgentVms;
import io.spotnest.orchestrator.port.BootSecret;
import io.spotnest.orchestrator.port.SecretSource;

/**
 * Boots an agent's VM with its boot spec and, when the spec refers to one, the secret the {@link
 * SecretSource} gives for it at this moment (it is never journaled or kept).
 */
public final class AgentBoot {
  private static final System.Logger LOG = System.getLogger(AgentBoot.class.getName());
  private final AgentVms vms;
  private final SecretSource secrets;

  public AgentBoot(AgentVms vms, SecretSource secrets) {
    this.vms = vms;
    this.secrets = secrets;
  }

  /** Where the VMs it boots keep their memory ({@link AgentVms#memory}). */
  public io.spotnest.orchestrator.model.MemoryBacking memory() {
    return vms.memory();
  }

  /** Boots {@code a} on {@code hostId}; throws when its secret is not known (nothing booted). */
  public void boot(Agent a, String hostId) {
    String ref = a.boot().secretRef();
    BootSecret secret =
        ref == null
            ? null
            : secrets
                .secret(ref)
                .orElseThrow(
                    () -> new IllegalStateException("no secret known for agent " + a.id()));
    LOG.log(
        System.Logger.Level.INFO,
        "booting agent " + a.id() + " on " + hostId + " with " + a.boot() + ", " + secret);
    vms.boot(a.id(), hostId, a.boot(), secret);
  }
}
