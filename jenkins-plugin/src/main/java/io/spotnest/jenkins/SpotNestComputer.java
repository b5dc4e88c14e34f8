package io.spotnest.jenkins;

import hudson.slaves.AbstractCloudComputer;

/** The live side of a {@link SpotNestAgent}. */
public class SpotNestComputer extends AbstractCloudComputer<SpotNestAgent> {
  public SpotNestComputer(SpotNestAgent agent) {
    super(agent);
  }
}
