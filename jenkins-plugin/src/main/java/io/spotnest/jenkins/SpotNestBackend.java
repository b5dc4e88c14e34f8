package io.spotnest.jenkins;

import hudson.ExtensionList;
import hudson.ExtensionPoint;
import io.spotnest.jenkins.port.SpotNestController;

/**
 * Where the plugin finds the orchestrator: the adapter that runs it in the controller's JVM
 * registers one {@code @Extension} of this type. Objects that Jenkins restores from XML look it up;
 * tests hand in a fake.
 */
public interface SpotNestBackend extends ExtensionPoint {

  SpotNestController controller();

  /**
   * Keeps the end of an agent Jenkins removed while its VM could not be ended ({@link #controller}
   * or its {@code terminateAgent} threw an {@link IllegalStateException}: the fleet cannot start,
   * or cannot write its journal), so the VM is ended once the orchestrator can; false when this
   * backend cannot keep it (the VM then runs on).
   */
  default boolean endWhenStarted(String agentName) {
    return false;
  }

  /** The registered backend. */
  static SpotNestBackend installed() {
    return ExtensionList.lookupFirst(SpotNestBackend.class);
  }
}
