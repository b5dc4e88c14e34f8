package io.spotnest.strategy.sim;

/** Every agent on on-demand hosts: the cost baseline. */
final class OnDemandOnly implements Strategy {
  @Override
  public String name() {
    return ComparisonTable.ON_DEMAND;
  }

  @Override
  public SpotPool choosePool(BuildRequest build, SimContext ctx) {
    return null;
  }
}
