package io.spotnest.strategy.data;

/** An instance type's size from the Spot Advisor feed. */
public record InstanceSpec(int cores, double ramGiB) {
  public InstanceSpec {
    if (cores <= 0) {
      throw new IllegalArgumentException("cores must be positive, got " + cores);
    }
    if (!(ramGiB > 0)) {
      throw new IllegalArgumentException("ramGiB must be positive, got " + ramGiB);
    }
  }
}
