package io.spotnest.testbed;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

/**
 * Gate for tests that need the lab: skips them on a machine without its prerequisites, but under
 * {@code CI=true} fails them, so CI can never pass by skipping the real tests.
 */
public final class LabPrerequisites {

  private LabPrerequisites() {}

  public static void require() {
    List<String> missing = Prerequisites.missing();
    if (missing.isEmpty()) {
      return;
    }
    String why = "lab prerequisites missing: " + String.join("; ", missing);
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(why + " (CI=true: lab tests must run, not skip)");
    }
    assumeTrue(false, why);
  }

  /** The test guest image, with the same skip-or-fail rule when it has not been built. */
  public static GuestImage image() {
    require();
    try {
      return GuestImage.locate();
    } catch (TestbedException e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(e.getMessage());
      }
      assumeTrue(false, e.getMessage());
      throw e;
    }
  }
}
