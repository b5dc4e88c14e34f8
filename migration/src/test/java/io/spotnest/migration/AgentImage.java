package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotnest.testbed.RepoRoot;
import io.spotnest.testbed.jenkins.AgentSecret;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real agent image ({@code nested-agent-image/build-agent-image.sh}, what {@code ./spotnest
 * image build} builds: cached when its inputs are unchanged) and its own tools for one VM: the
 * config disk ({@code make-agent-config.sh}, the secret on stdin) and the libvirt domain ({@code
 * make-agent-domain.sh}: the image's overlay as vda, the config disk read-only as vdb).
 */
record AgentImage(Path dir, Path tools) {

  /** Builds the image, or finds it cached, in its default place under the repository. */
  static AgentImage built() throws IOException, InterruptedException {
    Path images = RepoRoot.find().resolve("nested-agent-image");
    Process build =
        new ProcessBuilder(images.resolve("build-agent-image.sh").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertTrue(build.waitFor(8, TimeUnit.MINUTES), "the agent image build ran past 8 min");
    assertEquals(
        0, build.exitValue(), "build-agent-image.sh failed; run ./spotnest image build to see why");
    AgentImage image = new AgentImage(images.resolve("out/agent"), images.resolve("agent-image"));
    for (String f : List.of("vmlinuz", "initramfs.cpio.gz", "agent-root.qcow2")) {
      assertTrue(Files.isRegularFile(image.dir.resolve(f)), "the image lacks " + f);
    }
    return image;
  }

  /** The base image every VM's root overlay sits on (the same path on every lab host). */
  String rootImage() {
    return dir.resolve("agent-root.qcow2").toString();
  }

  /** The root disk's size as a guest sees it (an overlay gets the same). */
  long rootVirtualBytes() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("qemu-img", "info", "-U", "--output=json", rootImage())
            .redirectErrorStream(true)
            .start();
    String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "qemu-img info hung");
    assertEquals(0, p.exitValue(), "qemu-img info " + rootImage() + ": " + json);
    // the top-level size: the JSON also holds the file child's, which is the file's length
    long bytes = new ObjectMapper().readTree(json).path("virtual-size").asLong(0);
    assertTrue(bytes > 0, "no virtual-size in " + json);
    return bytes;
  }

  /** Writes a VM's config disk: the controller's URL, the agent's name and its secret. */
  void writeConfigDisk(Path out, String controllerUrl, String agentName, AgentSecret secret)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                tools.resolve("make-agent-config.sh").toString(),
                out.toString(),
                "--url",
                controllerUrl,
                "--name",
                agentName,
                "--secret-file",
                "-")
            .redirectErrorStream(true)
            .start();
    try (OutputStream stdin = p.getOutputStream()) {
      stdin.write((secret.value() + "\n").getBytes(StandardCharsets.US_ASCII));
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "make-agent-config.sh hung");
    assertEquals(0, p.exitValue(), "make-agent-config.sh: " + output);
  }

  /**
   * The VM's libvirt domain as the image's template renders it; paths are as the host sees them.
   */
  String domainXml(
      String name,
      String overlay,
      String configDisk,
      String serialLog,
      String cidr,
      String gateway,
      long memoryMib,
      String mac,
      Path scratch)
      throws IOException, InterruptedException {
    Path xml = scratch.resolve(name + ".xml");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                tools.resolve("make-agent-domain.sh").toString(),
                xml.toString(),
                "--name",
                name,
                "--image",
                dir.toString(),
                "--overlay",
                overlay,
                "--config",
                configDisk,
                "--serial",
                serialLog,
                "--ip",
                cidr,
                "--mem",
                Long.toString(memoryMib),
                "--mac",
                mac,
                "--type",
                "qemu"));
    if (gateway != null) {
      cmd.addAll(List.of("--gw", gateway));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "make-agent-domain.sh hung");
    assertEquals(0, p.exitValue(), "make-agent-domain.sh: " + output);
    return Files.readString(xml);
  }
}
