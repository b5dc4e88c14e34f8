package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code spotnest demo --jenkins WAR}: its input is refused before anything runs. */
class JenkinsDemoCommandTest {
  @TempDir Path dir;

  @Test
  void aMissingWarIsOneLineNamingJenkinsWithExitCode2() {
    ForbiddenLabs labs = new ForbiddenLabs();
    CliRun r = CliRun.run(labs, "demo", "--jenkins", "/nonexistent/jenkins.war");
    assertEquals(2, r.exit(), r.toString());
    assertEquals(
        List.of(
            "spotnest: --jenkins /nonexistent/jenkins.war is not a file (expected a jenkins.war)"),
        r.errLines());
    assertEquals("", r.out());
    assertEquals(List.of(), labs.attempts());
  }

  @Test
  void aFileThatIsNoJenkinsWarIsRefused() throws IOException {
    Path notAWar = Files.writeString(dir.resolve("jenkins.war"), "not a zip");
    ForbiddenLabs labs = new ForbiddenLabs();
    CliRun r = CliRun.run(labs, "demo", "--jenkins", notAWar.toString());
    assertEquals(2, r.exit(), r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
    assertTrue(r.err().startsWith("spotnest: --jenkins "), r.err());
    assertTrue(r.err().contains("is not a Jenkins war"), r.err());
    assertEquals(List.of(), labs.attempts());
  }

  @Test
  void theOptionGivenBareWithoutTheVariableNamesBoth() {
    OptionValues.InvalidValue e =
        assertThrows(
            OptionValues.InvalidValue.class, () -> new OptionValues.JenkinsWar().convert(""));
    assertEquals("needs a jenkins.war: give its path, or set SPOTNEST_JENKINS_WAR", e.getMessage());
  }

  @Test
  void theLaunchersCheckRefusesABadWarAndPassesAWar() throws IOException {
    ForbiddenLabs labs = new ForbiddenLabs();
    StringWriter err = new StringWriter();
    CommandLine cli = SpotNestCommand.commandLine(labs).setErr(new PrintWriter(err));
    assertEquals(2, SpotNestCommand.check(cli, new String[] {"demo", "--jenkins", "/nope.war"}));
    assertTrue(err.toString().startsWith("spotnest: --jenkins /nope.war"), err.toString());
    Path war = war(dir.resolve("jenkins.war"));
    assertEquals(
        SpotNestCommand.CHECK_RUNS,
        SpotNestCommand.check(
            SpotNestCommand.commandLine(labs),
            new String[] {"demo", "--jenkins", war.toString(), "--keep"}));
    assertEquals(List.of(), labs.attempts());
  }

  @Test
  void keepWithoutJenkinsAndJenkinsWithSimpleAreRefused() throws IOException {
    ForbiddenLabs labs = new ForbiddenLabs();
    CliRun keep = CliRun.run(labs, "demo", "--keep");
    assertEquals(2, keep.exit(), keep.toString());
    assertTrue(keep.err().contains("--keep needs --jenkins"), keep.err());
    Path war = war(dir.resolve("jenkins.war"));
    CliRun simple = CliRun.run(labs, "demo", "--simple", "--jenkins", war.toString());
    assertEquals(2, simple.exit(), simple.toString());
    assertTrue(simple.err().contains("--jenkins and --simple"), simple.err());
    assertEquals(List.of(), labs.attempts());
  }

  @Test
  void theSummaryLineCountsTheBuildItsRestartsAndTheMoves() {
    JenkinsDemo.Result r =
        new JenkinsDemo.Result(
            java.net.URI.create("http://10.0.0.1:8080/"),
            "SUCCESS",
            1,
            List.of(
                new JenkinsDemo.Move("spotnest-a", "h1", "h2", "notice", 21.5, 340),
                new JenkinsDemo.Move("spotnest-a", "h2", "h3", "notice", 19.0, 1210)));
    assertEquals(
        "demo: builds_finished=1 builds_restarted=0 migrations=2 max_pause_ms=1210", r.line());
    JenkinsDemo.Result lost =
        new JenkinsDemo.Result(java.net.URI.create("http://x/"), "FAILURE", 2, List.of());
    assertEquals(
        "demo: builds_finished=0 builds_restarted=1 migrations=0 max_pause_ms=0", lost.line());
  }

  @Test
  void theHpiIsRebuiltWhenMissingOrOlderThanTheModulesSources() throws IOException {
    Path source =
        Files.createDirectories(dir.resolve("jenkins-plugin/src/main/java")).resolve("A.java");
    Files.writeString(source, "class A {}");
    Files.writeString(dir.resolve("jenkins-plugin/pom.xml"), "<project/>");
    assertTrue(PluginHpi.stale(dir), "no .hpi yet");
    Path hpi = PluginHpi.location(dir);
    Files.createDirectories(hpi.getParent());
    Files.writeString(hpi, "zip");
    Instant now = Instant.now();
    Files.setLastModifiedTime(source, FileTime.from(now.minusSeconds(60)));
    Files.setLastModifiedTime(
        dir.resolve("jenkins-plugin/pom.xml"), FileTime.from(now.minusSeconds(60)));
    Files.setLastModifiedTime(hpi, FileTime.from(now.minusSeconds(30)));
    assertFalse(PluginHpi.stale(dir), "built after its sources");
    Files.setLastModifiedTime(source, FileTime.from(now));
    assertTrue(PluginHpi.stale(dir), "a source changed since");
  }

  /** A war in the shape Jenkins' is: WEB-INF/web.xml and a Main-Class. */
  private static Path war(Path file) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "executable.Main");
    try (OutputStream out = Files.newOutputStream(file);
        JarOutputStream jar = new JarOutputStream(out, manifest)) {
      jar.putNextEntry(new JarEntry("WEB-INF/web.xml"));
      jar.write("<web-app/>".getBytes());
      jar.closeEntry();
    }
    return file;
  }
}
