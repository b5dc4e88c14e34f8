package io.spotnest.orchestrator.adapter.vms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.migration.AgentVmSpec;
import io.spotnest.migration.ConfigDisk;
import io.spotnest.migration.VmState;
import io.spotnest.orchestrator.model.AgentBootSpec;
import io.spotnest.orchestrator.port.BootSecret;
import io.spotnest.orchestrator.testing.StubHypervisors;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HypervisorAgentVmsTest {
  private final StubHypervisors hosts = new StubHypervisors("h1", "h2");
  private final HypervisorAgentVms vms =
      new HypervisorAgentVms(
          id ->
              hosts.vms.containsKey(id)
                  ? Optional.of(StubHypervisors.endpoint(id))
                  : Optional.empty(),
          hosts,
          (agent, ram) ->
              new AgentVmSpec(
                  agent,
                  ram,
                  1,
                  "/img/vmlinuz",
                  "/img/initramfs.cpio.gz",
                  "console=ttyS0",
                  "/img/ws.qcow2",
                  64,
                  "52:54:00:00:00:01",
                  "br0",
                  AgentVmSpec.DEFAULT_MTU,
                  false));

  @Test
  void bootStartsTheAgentsVmOnceWithItsMemory() {
    vms.boot("agent-1", "h1", AgentBootSpec.minimal("agent-1", 256), null);
    vms.boot("agent-1", "h1", AgentBootSpec.minimal("agent-1", 256), null);

    assertEquals(List.of("start agent-1 on h1"), hosts.calls);
    assertEquals(256, hosts.started.get("agent-1").memoryMib());
  }

  @Test
  void theVmGetsTheBootSpecsMemoryAndTheSecretGoesNowhereElse() {
    AgentBootSpec spec =
        new AgentBootSpec(
            "agent-1", "spotnest-agent", 2, 512, 20, "http://127.0.0.1:8080/", "", "agent-1");

    vms.boot("agent-1", "h1", spec, new BootSecret("s3cr3tvalue"));

    assertEquals(512, hosts.started.get("agent-1").memoryMib());
    assertFalse(hosts.started.get("agent-1").toString().contains("s3cr3tvalue"));
    assertFalse(String.join("\n", hosts.calls).contains("s3cr3tvalue"));
  }

  @Test
  void theVmGetsTheConfigDiskOfItsBootSpecAndSecret() {
    AgentBootSpec spec =
        new AgentBootSpec(
            "agent-1", "spotnest-agent", 2, 512, 20, "http://127.0.0.1:8080/", "", "agent-1");
    BootSecret secret = new BootSecret("s3cr3tvalue");

    vms.boot("agent-1", "h1", spec, secret);

    ConfigDisk disk = hosts.configs.get("agent-1");
    assertNotNull(disk, "the VM was started without its config disk");
    Map<String, byte[]> expected = AgentConfigDisk.files(spec, secret);
    assertEquals(expected.keySet(), disk.files().keySet());
    expected.forEach((name, content) -> assertArrayEquals(content, disk.files().get(name), name));
    assertEquals(List.of("start agent-1 on h1"), hosts.calls);
  }

  @Test
  void anAgentWithoutASecretGetsNoConfigDisk() {
    vms.boot("agent-1", "h1", AgentBootSpec.minimal("agent-1", 256), null);

    assertFalse(hosts.configs.containsKey("agent-1"));
  }

  @Test
  void aBootSpecTheImageWouldRefuseIsRefusedNamingTheFieldAndStartsNothing() {
    AgentBootSpec spec =
        new AgentBootSpec("agent-1", "spotnest-agent", 2, 512, 20, "ftp://x/", "", "agent-1");

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> vms.boot("agent-1", "h1", spec, new BootSecret("s3cr3tvalue")));

    assertTrue(e.getMessage().startsWith("controllerUrl:"), e.getMessage());
    assertEquals(List.of(), hosts.calls);
  }

  @Test
  void aStoppedLeftoverIsReplacedAndAPausedVmIsLeftAlone() {
    hosts.vms.get("h1").put("agent-1", VmState.SHUT_OFF);
    hosts.vms.get("h2").put("agent-2", VmState.PAUSED);

    vms.boot("agent-1", "h1", AgentBootSpec.minimal("agent-1", 256), null);
    vms.boot("agent-2", "h2", AgentBootSpec.minimal("agent-2", 256), null);

    assertEquals(List.of("remove agent-1 on h1", "start agent-1 on h1"), hosts.calls);
    assertEquals(VmState.RUNNING, hosts.vms.get("h1").get("agent-1"));
  }

  @Test
  void destroyIsIdempotentAndAGoneHostHasNothingToRemove() {
    vms.boot("agent-1", "h1", AgentBootSpec.minimal("agent-1", 256), null);
    vms.destroy("agent-1", "h1");
    vms.destroy("agent-1", "h1");
    vms.destroy("agent-1", "gone");

    assertEquals(List.of("start agent-1 on h1", "remove agent-1 on h1"), hosts.calls);
  }

  @Test
  void aRemovalTheHostDoesNotAnswerFailsNamingAgentAndHostSoItIsTriedAgain() {
    // the VM may still run there (a network blip): VmRemovals' worker tries again
    hosts.unreachable.add("h2");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> vms.destroy("agent-1", "h2"));
    assertTrue(e.getMessage().contains("agent-1") && e.getMessage().contains("h2"), e.getMessage());
  }

  @Test
  void bootOnAnUnknownHostIsRefused() {
    assertThrows(
        IllegalStateException.class,
        () -> vms.boot("agent-1", "nope", AgentBootSpec.minimal("agent-1", 256), null));
  }
}
