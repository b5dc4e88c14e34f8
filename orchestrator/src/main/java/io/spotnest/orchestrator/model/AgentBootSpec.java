package io.spotnest.orchestrator.model;

import java.util.Objects;

/**
 * What an agent's VM boots with. It holds no secret, only {@code secretRef}, which a {@code
 * SecretSource} resolves at boot time; so it may be journaled and logged.
 *
 * @param agentName the name the agent connects under (the controller knows it by this)
 * @param image the agent image to boot (null: the adapter's default)
 * @param vcpus virtual CPUs
 * @param ramMiB memory
 * @param diskGiB workspace disk size (0: the image's default)
 * @param controllerUrl where the agent fetches agent.jar and connects to (null: none, e.g. a test
 *     guest)
 * @param initScript shell run before the agent starts (empty: none)
 * @param secretRef what names the agent's secret to the {@code SecretSource} port (null: it has
 *     none)
 */
public record AgentBootSpec(
    String agentName,
    String image,
    int vcpus,
    long ramMiB,
    int diskGiB,
    String controllerUrl,
    String initScript,
    String secretRef) {
  public AgentBootSpec {
    if (agentName == null || agentName.isBlank()) {
      throw new IllegalArgumentException("agentName must not be blank");
    }
    if (vcpus < 1) {
      throw new IllegalArgumentException("vcpus must be at least 1, got " + vcpus);
    }
    if (ramMiB <= 0) {
      throw new IllegalArgumentException("ramMiB must be positive, got " + ramMiB);
    }
    if (diskGiB < 0) {
      throw new IllegalArgumentException("diskGiB must not be negative, got " + diskGiB);
    }
    initScript = Objects.requireNonNullElse(initScript, "");
  }

  /** A spec that says only the name and memory (one vCPU, the adapter's image, no secret). */
  public static AgentBootSpec minimal(String agentName, long ramMiB) {
    return new AgentBootSpec(agentName, null, 1, ramMiB, 0, null, "", null);
  }

  /** The same spec for an agent named {@code name} whose secret is referred to by that name. */
  public AgentBootSpec renamed(String name) {
    return new AgentBootSpec(
        name,
        image,
        vcpus,
        ramMiB,
        diskGiB,
        controllerUrl,
        initScript,
        secretRef == null ? null : name);
  }
}
