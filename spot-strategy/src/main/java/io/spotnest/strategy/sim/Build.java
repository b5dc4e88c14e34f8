package io.spotnest.strategy.sim;

/**
 * One build of the workload: it arrives, needs an agent of {@code ramGiB} and runs for {@code
 * durationMin}; {@code standingCopy} is whether it asked for a standing copy (its template's box in
 * the orchestrator; see {@link CopyWish}): a build that did not ask never gets one.
 */
public record Build(
    int id, double arrivalMin, double durationMin, double ramGiB, boolean standingCopy) {
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

  /** A build that asks for a standing copy (until a {@link CopyWish} says otherwise). */
  public Build(int id, double arrivalMin, double durationMin, double ramGiB) {
    this(id, arrivalMin, durationMin, ramGiB, true);
  }

  /** This build with its wish set. */
  public Build withStandingCopy(boolean asks) {
    return new Build(id, arrivalMin, durationMin, ramGiB, asks);
  }
}
