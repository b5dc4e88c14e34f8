package io.spotnest.strategy.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds the shared real-data directory {@code spot-data}: {@code <repo>/../shared/spot-data} (a CI
 * clone has {@code shared/} beside it), else {@code /work/shared/spot-data}.
 */
public final class SharedData {
  /** The Spot Advisor file inside the data directory. */
  public static final String ADVISOR = "aws-spot-advisor/spot-advisor-data.json";

  private SharedData() {}

  public static Optional<Path> find(Path repoRoot) {
    List<Path> candidates =
        List.of(
            repoRoot.toAbsolutePath().normalize().resolve("../shared/spot-data").normalize(),
            Path.of("/work/shared/spot-data"));
    return candidates.stream().filter(p -> Files.isRegularFile(p.resolve(ADVISOR))).findFirst();
  }

  /** Like {@link #find} but fails with a clear message naming the places looked at. */
  public static Path require(Path repoRoot) {
    return find(repoRoot)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "shared spot data not found: looked for "
                        + repoRoot
                            .toAbsolutePath()
                            .normalize()
                            .resolve("../shared/spot-data")
                            .normalize()
                        + "/"
                        + ADVISOR
                        + " and /work/shared/spot-data/"
                        + ADVISOR));
  }
}
