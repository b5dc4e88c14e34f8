package io.spotnest.hosts;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

/**
 * Gate for lab tests: skip when something is missing, but fail under CI=true, where lab tests must
 * run.
 */
public final class LabGate {
  private LabGate() {}

  public static void requireOrSkip(String what, List<String> missing) {
    if (missing.isEmpty()) {
      return;
    }
    String why = what + String.join(", ", missing);
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(why + " (CI=true: lab tests must run, not skip)");
    }
    assumeTrue(false, why);
  }
}
