package io.spotnest.orchestrator.adapter.vms;

import io.spotnest.orchestrator.model.AgentBootSpec;
import io.spotnest.orchestrator.port.BootSecret;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The files of an agent VM's config disk, as the agent image's boot service reads them
 * (nested-agent-image/agent-image, {@code sn_read_agent_env} and {@code sn_check_secret}): {@code
 * agent.env} with {@code SN_CONTROLLER_URL} and {@code SN_AGENT_NAME}, and {@code agent-secret},
 * one line holding the secret. {@code make-agent-config.sh} packs them into the 1 MiB ustar image
 * attached as the VM's second virtio disk. Values are checked with the image's own rules, so a disk
 * built here is never refused at boot. Pure: nothing is written or logged.
 */
public final class AgentConfigDisk {
  static final String ENV = "agent.env";
  static final String SECRET = "agent-secret";
  private static final Pattern URL =
      Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%/-]*)?");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern SECRET_VALUE = Pattern.compile("[A-Za-z0-9]{1,256}");

  private AgentConfigDisk() {}

  /**
   * The disk's files, in order, by name; throws {@link IllegalArgumentException} naming the field
   * (never the secret's value) when the image would refuse it.
   */
  public static Map<String, byte[]> files(AgentBootSpec spec, BootSecret secret) {
    if (spec.controllerUrl() == null || !URL.matcher(spec.controllerUrl()).matches()) {
      throw new IllegalArgumentException(
          "controllerUrl: expected http(s)://host[:port][/path], got " + spec.controllerUrl());
    }
    if (!NAME.matcher(spec.agentName()).matches()) {
      throw new IllegalArgumentException(
          "agentName: expected 1..64 letters, digits, . _ -, got " + spec.agentName());
    }
    if (secret == null || !SECRET_VALUE.matcher(secret.value()).matches()) {
      throw new IllegalArgumentException("secret: expected 1..256 letters and digits");
    }
    String env =
        "SN_CONTROLLER_URL=" + spec.controllerUrl() + "\nSN_AGENT_NAME=" + spec.agentName() + "\n";
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(ENV, env.getBytes(StandardCharsets.US_ASCII));
    files.put(SECRET, (secret.value() + "\n").getBytes(StandardCharsets.US_ASCII));
    return files;
  }
}
