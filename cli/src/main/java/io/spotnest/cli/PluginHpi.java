package io.spotnest.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The plugin's built .hpi ({@code jenkins-plugin/target/spotnest.hpi}, where the module's package
 * phase writes it and its real-Jenkins tests open it); built with the Maven reactor when it is
 * missing or older than the module's sources.
 */
final class PluginHpi {
  static final String MODULE = "jenkins-plugin";

  /** The module's artifactId, which names its .hpi ({@code hpi.file} in its POM). */
  static final String ARTIFACT = "spotnest";

  private PluginHpi() {}

  /** Where the module's build writes the .hpi under the repository {@code root}. */
  static Path location(Path root) {
    return root.resolve(MODULE).resolve("target").resolve(ARTIFACT + ".hpi");
  }

  /** True when the .hpi is missing or a source or the POM of the module is newer. */
  static boolean stale(Path root) {
    Path hpi = location(root);
    if (!Files.isRegularFile(hpi)) {
      return true;
    }
    try (Stream<Path> sources = Files.walk(root.resolve(MODULE).resolve("src").resolve("main"))) {
      FileTime built = Files.getLastModifiedTime(hpi);
      return Stream.concat(sources, Stream.of(root.resolve(MODULE).resolve("pom.xml")))
          .filter(Files::isRegularFile)
          .anyMatch(f -> modified(f).compareTo(built) > 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + root.resolve(MODULE), e);
    }
  }

  /** The current .hpi; runs {@code mvn package} on the module (tests skipped) first if stale. */
  static Path builtOrBuild(Path root, PrintStream err) throws IOException, InterruptedException {
    Path hpi = location(root);
    if (!stale(root)) {
      return hpi;
    }
    List<String> mvn =
        List.of("mvn", "-B", "-q", "-ntp", "-DskipTests", "package", "-pl", MODULE, "-am");
    err.println(
        "demo: "
            + (Files.exists(hpi) ? "the plugin's sources changed since " : "no ")
            + root.relativize(hpi)
            + "; building it: "
            + String.join(" ", mvn)
            + " (a few minutes)");
    Path log = Files.createTempFile("spotnest-hpi-build", ".log");
    Process build =
        new ProcessBuilder(mvn)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!build.waitFor(20, TimeUnit.MINUTES)) {
      build.destroyForcibly();
      throw new IllegalStateException("building the plugin ran past 20 min (log " + log + ")");
    }
    if (build.exitValue() != 0 || !Files.isRegularFile(hpi)) {
      throw new IllegalStateException("building the plugin failed; see " + log);
    }
    Files.deleteIfExists(log);
    return hpi;
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
