package io.spotnest.strategy.data;

import java.nio.file.Path;

/**
 * Locates the shared real data for tests: {@code <repo>/../shared/spot-data}, failing clearly when
 * absent.
 */
public final class SharedTestData {
  private SharedTestData() {}

  public static Path dir() {
    return SharedData.require(Path.of("").toAbsolutePath().getParent());
  }

  public static Path aws(String zone) {
    return dir()
        .resolve(
            "skypilot-spot-traces/preemption/1-node/aws-04-19-2023/" + zone + "_intel_64.json");
  }

  /** A p3.2xlarge (one V100) availability trace of 2023-02-15. */
  public static Path awsV100(String zone) {
    return dir()
        .resolve(
            "skypilot-spot-traces/availability/1-node/aws-02-15-2023/" + zone + "_v100_1.json");
  }

  public static Path gcp(String zone) {
    return dir()
        .resolve("skypilot-spot-traces/preemption/1-node/gcp-04-30-2023/" + zone + "_c3-88.json");
  }

  public static Path advisor() {
    return dir().resolve(SharedData.ADVISOR);
  }
}
