package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCommandTest {

  @Test
  void anOutThatIsAFileIsRefusedInOneLineWithExitCode2(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    CliRun r = CliRun.run(new ForbiddenLabs(), "image", "build", "--out", file.toString());
    assertEquals(2, r.exit(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(
        r.err().contains("--out") && r.err().contains(file + " is not a directory"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void imageWithoutASubcommandListsBuild() {
    CliRun r = CliRun.run(new ForbiddenLabs(), "image");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("build"), r.out());
  }

  @Test
  void withoutTheWarVariableTheImageBootsAgainstTheTestServer() {
    assertEquals(new BootController.TestServer(), BootController.from(Map.of()));
    assertEquals(
        new BootController.TestServer(),
        BootController.from(Map.of(BootController.WAR_VARIABLE, " ")));
  }

  @Test
  void anExecutableWarMakesTheImageBootAgainstARealJenkins(@TempDir Path dir) throws Exception {
    Path war = war(dir.resolve("jenkins.war"), true, true);
    assertEquals(
        new BootController.Jenkins(war),
        BootController.from(Map.of(BootController.WAR_VARIABLE, war.toString())));
  }

  @Test
  void aWarThatIsMissingOrNotAWarIsNamedInOneLine(@TempDir Path dir) throws Exception {
    for (Path bad :
        List.of(
            dir.resolve("absent.war"),
            Files.writeString(dir.resolve("text.war"), "not a zip"),
            war(dir.resolve("plain.jar"), false, true),
            war(dir.resolve("library.war"), true, false),
            dir)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> BootController.from(Map.of(BootController.WAR_VARIABLE, bad.toString())),
              bad.toString());
      assertTrue(
          e.getMessage().startsWith(BootController.WAR_VARIABLE + "=" + bad + ": "),
          e.getMessage());
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
  }

  /**
   * As a user runs it (a JVM of its own): a bad war ends the command before anything is built, in
   * one line naming the variable, exit code 2.
   */
  @Test
  void theCommandRefusesABadWarBeforeBuildingAnything(@TempDir Path dir) throws Exception {
    for (Path bad :
        List.of(dir.resolve("absent.war"), Files.writeString(dir.resolve("text.war"), "x"))) {
      ProcessBuilder pb =
          new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp",
              System.getProperty("java.class.path"),
              // a root without the image scripts: had the command tried to build, it would say so
              "-Dspotnest.root=" + dir,
              "io.spotnest.cli.SpotNestCommand",
              "image",
              "build",
              "--out",
              Files.createDirectories(dir.resolve("out")).toString());
      pb.environment().put(BootController.WAR_VARIABLE, bad.toString());
      Process p = pb.start();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "image build returned");
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(2, p.exitValue(), err + out);
      List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
      assertEquals(1, lines.size(), "one line: " + err);
      assertTrue(lines.get(0).contains(BootController.WAR_VARIABLE + "=" + bad), lines.get(0));
      assertFalse(err.contains("building"), err);
      assertEquals("", out);
    }
  }

  /** A zip with or without WEB-INF/web.xml and a Main-Class, as an executable war has both. */
  private static Path war(Path file, boolean webXml, boolean mainClass) throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (mainClass) {
      manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "executable.Main");
    }
    try (OutputStream os = Files.newOutputStream(file);
        JarOutputStream jar = new JarOutputStream(os, manifest)) {
      jar.putNextEntry(new JarEntry(webXml ? "WEB-INF/web.xml" : "lib/readme.txt"));
      jar.write("<web-app/>".getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
    }
    return file;
  }
}
