package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spotnest.testbed.LabPrerequisites;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code spotnest image build}: the agent image is built (or found cached) and booted once under
 * QEMU (TCG) until its agent is connected over WebSocket to the controller-side test server (or,
 * with {@code SPOTNEST_JENKINS_WAR}, to a real Jenkins: the second test), with more than 1 GiB
 * usable in the work directory and in /tmp and the secret nowhere in the output. A cold build takes
 * 2-3 min here, a cached one under a second; the boot 35-60 s.
 */
@Tag("lab")
class ImageBuildLabTest {
  private static final Pattern CONTRACT =
      Pattern.compile("image: path=(\\S+) size_mib=(\\d+) boot_to_agent_s=(\\d+(?:\\.\\d+)?)");
  private static final Pattern JENKINS_PORT =
      Pattern.compile("image: Jenkins answers on http://127\\.0\\.0\\.1:(\\d+)/");
  private static final Pattern FREE =
      Pattern.compile("workdir_free_mib=(\\d+) tmp_free_mib=(\\d+)");
  private static final Path ROOT =
      Path.of(System.getProperty("spotnest.root", "..")).toAbsolutePath();

  @Test
  @Timeout(value = 11, unit = TimeUnit.MINUTES)
  void theImageIsBuiltCachedAndItsAgentConnects() throws Exception {
    LabPrerequisites.require();
    requireTool("/usr/sbin/debootstrap", "debootstrap");
    requireTool("/usr/bin/javac", "openjdk-17-jdk-headless");

    // the first run builds (cold on a clean clone) or finds the image cached; the second must find
    // it cached
    Process first =
        new ProcessBuilder(ROOT.resolve("nested-agent-image/build-agent-image.sh").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertTrue(first.waitFor(8, TimeUnit.MINUTES), "the image build ran past 8 min");
    assertEquals(0, first.exitValue(), "build-agent-image.sh failed; run it by hand to see why");

    long t0 = System.nanoTime();
    CliRun r = imageBuild(null);
    System.out.println("[image] " + r.err().strip().replace("\n", "\n[image] "));
    System.out.println(
        "[image] "
            + r.lastLine()
            + " (command took "
            + (System.nanoTime() - t0) / 1_000_000
            + " ms)");
    assertEquals(0, r.exit(), r.err());
    assertTrue(
        r.err().contains("build-agent-image: cached:"),
        "inputs unchanged, so no rebuild: " + r.err());
    Matcher m = CONTRACT.matcher(r.lastLine());
    assertTrue(m.matches(), "contract line: " + r.lastLine());
    Path image = Path.of(m.group(1));
    assertEquals(ROOT.resolve("nested-agent-image/out/agent/agent-root.qcow2").normalize(), image);
    assertTrue(Files.size(image) > 100L << 20, "image size " + Files.size(image));
    long sizeMib = Long.parseLong(m.group(2));
    assertEquals((Files.size(image) + (1 << 20) - 1) >> 20, sizeMib);
    double boot = Double.parseDouble(m.group(3));
    assertTrue(boot > 1 && boot < 420, "boot_to_agent_s=" + boot);
    Matcher free = FREE.matcher(r.err());
    assertTrue(free.find(), "the agent reported its free space: " + r.err());
    assertTrue(Long.parseLong(free.group(1)) > 1024, "work directory: " + free.group());
    assertTrue(
        Long.parseLong(free.group(2)) > 1024,
        "/tmp (Jenkins' temp-space monitor): " + free.group());
    assertTrue(r.err().contains("user=jenkins"), r.err());
    assertTrue(
        r.err()
            .contains(
                "secret not on the console, in any log, nor on the root disk; a wrong secret is refused"),
        r.err());
  }

  /**
   * With {@code SPOTNEST_JENKINS_WAR}: the same command boots the (cached) image against a real
   * Jenkins it starts from that war, until Jenkins shows the agent it created online; then Jenkins
   * and the VM are stopped and Jenkins' temporary home is gone. Skipped, loudly, without the war
   * (the one skip allowed, also under CI=true).
   */
  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void withAJenkinsWarTheAgentComesOnlineInARealJenkins() throws Exception {
    Path war = warOrSkip();
    LabPrerequisites.require();
    requireTool("/usr/sbin/debootstrap", "debootstrap");
    requireTool("/usr/bin/javac", "openjdk-17-jdk-headless");

    List<Path> homesBefore = jenkinsHomes();
    long t0 = System.nanoTime();
    CliRun r = imageBuild(war);
    System.out.println("[image+jenkins] " + r.err().strip().replace("\n", "\n[image+jenkins] "));
    System.out.println(
        "[image+jenkins] "
            + r.lastLine()
            + " (command took "
            + (System.nanoTime() - t0) / 1_000_000
            + " ms)");
    assertEquals(0, r.exit(), r.err());
    Matcher m = CONTRACT.matcher(r.lastLine());
    assertTrue(m.matches(), "contract line: " + r.lastLine());
    assertEquals(
        ROOT.resolve("nested-agent-image/out/agent/agent-root.qcow2").normalize(),
        Path.of(m.group(1)));
    double boot = Double.parseDouble(m.group(3));
    assertTrue(boot > 1 && boot < 420, "boot_to_agent_s=" + boot);
    assertTrue(r.err().contains("image: starting Jenkins from " + war), r.err());
    assertTrue(
        r.err().contains("image: agent " + JenkinsBootCheck.AGENT + " created over REST"), r.err());
    assertTrue(
        r.err().contains("image: Jenkins shows agent " + JenkinsBootCheck.AGENT + " online"),
        r.err());
    assertTrue(r.err().contains("controller=jenkins"), r.err());
    assertTrue(
        r.err().contains("secret not on the console, in QEMU's output, nor on the root disk"),
        r.err());
    assertTrue(r.err().contains("image: Jenkins stopped, its temporary home deleted"), r.err());
    assertEquals(homesBefore, jenkinsHomes(), "Jenkins' temporary home is deleted");
    // nothing left running: not the Jenkins the command started, nor the boot-check VM
    Matcher port = JENKINS_PORT.matcher(r.err());
    assertTrue(port.find(), r.err());
    assertEquals(List.of(), running("--httpPort=" + port.group(1)), "Jenkins stopped");
    assertEquals(List.of(), running("snimg-bootcheck"), "QEMU stopped");
  }

  /**
   * {@code spotnest image build} as the launcher runs it (a JVM of its own), with {@code
   * SPOTNEST_JENKINS_WAR} set to {@code war}, or removed when null.
   */
  private static CliRun imageBuild(Path war) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "-Dspotnest.root=" + ROOT,
            "io.spotnest.cli.SpotNestCommand",
            "image",
            "build");
    if (war == null) {
      pb.environment().remove(BootController.WAR_VARIABLE);
    } else {
      pb.environment().put(BootController.WAR_VARIABLE, war.toString());
    }
    Path out = Files.createTempFile("image-build", ".out");
    Path err = Files.createTempFile("image-build", ".err");
    Process p =
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      assertTrue(p.waitFor(13, TimeUnit.MINUTES), "image build ran past 13 min");
      return new CliRun(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      p.destroy(); // on a failure: its shutdown hooks stop Jenkins and the VM
      p.waitFor(60, TimeUnit.SECONDS);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static List<Path> jenkinsHomes() throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> files = Files.list(tmp)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("spotnest-jenkins-home"))
          .sorted()
          .toList();
    }
  }

  /** This user's processes whose command line contains {@code text}. */
  private static List<String> running(String text) {
    return ProcessHandle.allProcesses()
        .filter(h -> h.pid() != ProcessHandle.current().pid())
        .map(h -> h.info().commandLine().orElse(""))
        .filter(c -> c.contains(text))
        .toList();
  }

  /** The war, or a loud skip (the one skip allowed, also under CI=true). */
  private static Path warOrSkip() {
    String war = System.getenv(BootController.WAR_VARIABLE);
    if (war == null || war.isBlank()) {
      String why =
          "SKIPPED ImageBuildLabTest.withAJenkinsWarTheAgentComesOnlineInARealJenkins: "
              + BootController.WAR_VARIABLE
              + " is not set, so the agent image was NOT booted against a real Jenkins. Set it to a"
              + " jenkins.war (2.541.3) to run this test.";
      System.err.println("*".repeat(100) + "\n" + why + "\n" + "*".repeat(100));
      assumeTrue(false, why);
    }
    Path file = Path.of(war);
    assertTrue(
        Files.isRegularFile(file), BootController.WAR_VARIABLE + "=" + war + " is not a file");
    return file.toAbsolutePath().normalize();
  }

  /** The lab's rule: a missing prerequisite skips the test, but fails it under CI=true. */
  private static void requireTool(String path, String debianPackage) {
    if (Files.isExecutable(Path.of(path))) {
      return;
    }
    String why =
        path + " is missing (Debian package " + debianPackage + "; ./spotnest installs it)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(why + " (CI=true: lab tests must run, not skip)");
    }
    assumeTrue(false, why);
  }
}
