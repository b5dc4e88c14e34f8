package io.spotnest.orchestrator.adapter.vms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.migration.AgentVmSpec;
import io.spotnest.migration.StandbyMemory;
import io.spotnest.orchestrator.model.AgentBootSpec;
import io.spotnest.orchestrator.port.BootSecret;
import io.spotnest.orchestrator.testing.StubHypervisors;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentImageSpecsTest {
  private final StubHypervisors hosts = new StubHypervisors("h1");
  private final AgentImageSpecs specs = new AgentImageSpecs("/var/lib/spotnest/images/", "br0");
  private final HypervisorAgentVms vms =
      new HypervisorAgentVms(id -> Optional.of(StubHypervisors.endpoint(id)), hosts, specs);

  @Test
  void theBootSpecsImageVcpusMemoryAndDiskReachTheVmThatStarts() {
    AgentBootSpec boot =
        new AgentBootSpec(
            "ci-1a2b", "agent-jdk21", 4, 6144, 50, "http://127.0.0.1:8080/", "", "ci-1a2b");

    vms.boot("ci-1a2b", "h1", boot, new BootSecret("abc123"));

    AgentVmSpec vm = hosts.started.get("ci-1a2b");
    assertEquals(4, vm.vcpus());
    assertEquals(6144, vm.memoryMib());
    assertEquals(50L * 1024, vm.workspaceMib());
    assertEquals("/var/lib/spotnest/images/agent-jdk21/vmlinuz", vm.kernel());
    assertEquals("/var/lib/spotnest/images/agent-jdk21/initramfs.cpio.gz", vm.initramfs());
    assertEquals("/var/lib/spotnest/images/agent-jdk21/agent-root.qcow2", vm.baseImage());
    assertTrue(vm.cmdline().contains("sn.vm=ci-1a2b"), vm.cmdline());
    assertTrue(vm.cmdline().contains("sn.config=/dev/vdb"), vm.cmdline());
    assertEquals("br0", vm.bridge());
    assertEquals(AgentVmSpec.DEFAULT_MTU, vm.mtu(), "the lab overlay's MTU by default");
  }

  @Test
  void theOverlayMtuReachesTheNicOfTheVmThatStarts() {
    AgentImageSpecs jumbo = new AgentImageSpecs("/var/lib/spotnest/images", "br0", 8951);
    HypervisorAgentVms onJumbo =
        new HypervisorAgentVms(id -> Optional.of(StubHypervisors.endpoint(id)), hosts, jumbo);

    onJumbo.boot(
        "ci-9f",
        "h1",
        new AgentBootSpec("ci-9f", null, 1, 1024, 0, "http://127.0.0.1:8080/", "", "ci-9f"),
        new BootSecret("abc123"));

    assertEquals(8951, hosts.started.get("ci-9f").mtu());
    assertEquals(1450, new AgentImageSpecs("/i", "br0", 1450).spec("a1", 1024).mtu());
  }

  @Test
  void whenStandbysGoToFilesEveryAgentVmStartsWithItsRamInAFileOtherwiseInRam() {
    AgentImageSpecs toFiles =
        new AgentImageSpecs("/var/lib/spotnest/images", "br0", 1500, StandbyMemory.FILE);
    HypervisorAgentVms fileBacked =
        new HypervisorAgentVms(id -> Optional.of(StubHypervisors.endpoint(id)), hosts, toFiles);

    fileBacked.boot(
        "ci-f1",
        "h1",
        new AgentBootSpec("ci-f1", null, 1, 1024, 0, "http://127.0.0.1:8080/", "", "ci-f1"),
        new BootSecret("abc123"));
    vms.boot(
        "ci-r1",
        "h1",
        new AgentBootSpec("ci-r1", null, 1, 1024, 0, "http://127.0.0.1:8080/", "", "ci-r1"),
        new BootSecret("abc123"));

    assertTrue(
        hosts.started.get("ci-f1").fileMemory(),
        "libvirt keeps a migration's memory source: a FILE standby needs the VM in a file");
    assertFalse(hosts.started.get("ci-r1").fileMemory(), "RAM by default");
    assertEquals(StandbyMemory.RAM, specs.standbyMemory());
    assertTrue(toFiles.spec("a1", 1024).fileMemory());
    assertEquals(
        io.spotnest.orchestrator.model.MemoryBacking.FILE,
        fileBacked.memory(),
        "the port says what it boots, for the orchestrator to journal");
    assertEquals(io.spotnest.orchestrator.model.MemoryBacking.RAM, vms.memory());
  }

  @Test
  void noStandbyMemoryIsRefusedNamingTheField() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new AgentImageSpecs("/i", "br0", 1500, null));
    assertEquals("standbyMemory: expected RAM or FILE, got null", e.getMessage());
  }

  @Test
  void anOverlayMtuNoNicTakesIsRefusedNamingTheField() {
    for (int mtu : new int[] {0, 575, 9217}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new AgentImageSpecs("/i", "br0", mtu));
      assertEquals(
          "overlayMtu: expected 576..9216 (the hosts' underlay MTU minus 50), got " + mtu,
          e.getMessage());
    }
  }

  @Test
  void aBootSpecWithoutImageOrDiskGetsTheDefaults() {
    AgentVmSpec vm = specs.spec("a1", AgentBootSpec.minimal("a1", 1024));

    assertEquals("/var/lib/spotnest/images/spotnest-agent/vmlinuz", vm.kernel());
    assertEquals(AgentImageSpecs.DEFAULT_DISK_GIB * 1024L, vm.workspaceMib());
  }

  @Test
  void theMacIsStablePerAgentAndDiffersBetweenAgents() {
    assertEquals(AgentImageSpecs.mac("a1"), specs.spec("a1", 1024).mac());
    assertNotEquals(AgentImageSpecs.mac("a1"), AgentImageSpecs.mac("a2"));
  }

  @Test
  void anImageNameThatLeavesTheImagesDirectoryIsRefusedNamingTheField() {
    AgentBootSpec boot = new AgentBootSpec("a1", "../etc", 1, 1024, 0, null, "", null);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> specs.spec("a1", boot));
    assertTrue(e.getMessage().startsWith("image: "), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new AgentImageSpecs("images", "br0"));
  }
}
