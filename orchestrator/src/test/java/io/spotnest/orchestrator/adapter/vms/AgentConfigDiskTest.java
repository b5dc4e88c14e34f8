package io.spotnest.orchestrator.adapter.vms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.model.AgentBootSpec;
import io.spotnest.orchestrator.port.BootSecret;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentConfigDiskTest {
  private static final BootSecret SECRET = new BootSecret("0123456789abcdef0123456789abcdef");

  private static AgentBootSpec spec(String name, String url) {
    return new AgentBootSpec(name, "spotnest-agent", 2, 2048, 20, url, "", name);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }

  @Test
  void holdsTheSettingsAndTheSecretUnderTheNamesTheImageReads() {
    Map<String, byte[]> files =
        AgentConfigDisk.files(spec("nest-1", "http://127.0.0.1:8080/jenkins/"), SECRET);

    assertEquals(List.of("agent.env", "agent-secret"), List.copyOf(files.keySet()));
    assertEquals(
        "SN_CONTROLLER_URL=http://127.0.0.1:8080/jenkins/\nSN_AGENT_NAME=nest-1\n",
        text(files.get("agent.env")));
    assertEquals(SECRET.value() + "\n", text(files.get("agent-secret")));
    assertFalse(text(files.get("agent.env")).contains(SECRET.value()));
  }

  @Test
  void refusesWhatTheImageWouldRefuseNamingTheFieldNeverTheSecret() {
    String url = "http://127.0.0.1:8080/";
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> AgentConfigDisk.files(spec("nest-1", "ftp://x"), SECRET))
            .getMessage()
            .startsWith("controllerUrl:"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> AgentConfigDisk.files(spec("nest-1", null), SECRET))
            .getMessage()
            .startsWith("controllerUrl:"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> AgentConfigDisk.files(spec("nest 1", url), SECRET))
            .getMessage()
            .startsWith("agentName:"));
    String bad = "not-alphanumeric-secret";
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> AgentConfigDisk.files(spec("nest-1", url), new BootSecret(bad)))
            .getMessage();
    assertTrue(message.startsWith("secret:"), message);
    assertFalse(message.contains(bad));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> AgentConfigDisk.files(spec("nest-1", url), null))
            .getMessage()
            .startsWith("secret:"));
  }
}
