package io.spotnest.testbed;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the repository root: the {@code spotnest.root} property, else the nearest parent holding
 * {@code ./spotnest}.
 */
public final class RepoRoot {

  private RepoRoot() {}

  public static Path find() {
    String prop = System.getProperty("spotnest.root");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop).toAbsolutePath();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("spotnest"))
          && Files.isDirectory(p.resolve("nested-agent-image"))) {
        return p;
      }
    }
    throw new TestbedException(
        "cannot find the SpotNest repository root; set -Dspotnest.root=<dir>");
  }
}
