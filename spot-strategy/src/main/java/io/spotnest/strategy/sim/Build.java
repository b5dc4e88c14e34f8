package io.spotnest.strategy.sim;

/**
 * One build of the workload: it arrives, needs an agent of {@code ramGiB} and runs for {@code
 * durationMin}.
 */
public record Build(int id, double arrivalMin, double durationMin, double ramGiB) {
  public Build {
    if (id < 0) {
      throw new IllegalArgumentException("id must not be negative, got " + id);
    }
    if (!(arrivalMin >= 0) || Double.isInfinite(arrivalMin)) {
      throw new IllegalArgumentException(
          "arrival_min must be a finite number >= 0, got " + arrivalMin);
    }
    if (!(durationMin > 0) || Double.isInfinite(durationMin)) {
      throw new IllegalArgumentException(
          "duration_min must be a finite positive number, got " + durationMin);
    }
    if (!(ramGiB > 0) || Double.isInfinite(ramGiB)) {
      throw new IllegalArgumentException("ram_gib must be a finite positive number, got " + ramGiB);
    }
  }
}
