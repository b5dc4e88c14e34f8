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

  /** The registered backend. */
  static SpotNestBackend installed() {
    return ExtensionList.lookupFirst(SpotNestBackend.class);
  }
}
