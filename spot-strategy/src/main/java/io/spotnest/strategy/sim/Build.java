package io.spotnest.strategy.sim;

import io.spotnest.strategy.fleet.CopyRequest;

/**
 * One build of the workload: it arrives, needs an agent of {@code ramGiB} and runs for {@code
 * durationMin}; {@code copy} is what it said about a standing copy (its template in the
 * orchestrator; see {@link CopyWish}): a build that asked may get one in every copy mode, one that
 * left it to the fleet only in {@code AT_RISK}, one that refused never.
 */
public record Build(
    int id, double arrivalMin, double durationMin, double ramGiB, CopyRequest copy) {
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
    java.util.Objects.requireNonNull(copy, "copy");
  }

  /** A build that asked ({@code asks}) or did not ask for a standing copy. */
  public Build(int id, double arrivalMin, double durationMin, double ramGiB, boolean asks) {
    this(id, arrivalMin, durationMin, ramGiB, asks ? CopyRequest.ASKED : CopyRequest.UNSET);
  }

  /** A build that asks for a standing copy (until a {@link CopyWish} says otherwise). */
  public Build(int id, double arrivalMin, double durationMin, double ramGiB) {
    this(id, arrivalMin, durationMin, ramGiB, CopyRequest.ASKED);
  }

  /** Whether it asked for a standing copy. */
  public boolean standingCopy() {
    return copy == CopyRequest.ASKED;
  }

  /** Whether a fleet that also copies builds that did not ask ({@code unasked}) may copy it. */
  public boolean mayBeCopied(boolean unasked) {
    return copy.mayBeCopied(unasked);
  }

  /** This build with its wish set. */
  public Build withCopy(CopyRequest request) {
    return new Build(id, arrivalMin, durationMin, ramGiB, request);
  }

  /** This build having asked ({@code asks}) or not asked for a copy. */
  public Build withStandingCopy(boolean asks) {
    return new Build(id, arrivalMin, durationMin, ramGiB, asks);
  }
}
