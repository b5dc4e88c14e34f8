package io.spotnest.strategy.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * Pre-copy migration time: {@code RAM / (B - D)} with B the stream's share of the effective link
 * and D the dirty rate, i.e. {@code RAM / B} plus the dirty-rate penalty {@code RAM·D / (B·(B -
 * D))}. Never converges when the share falls to the dirty rate: then the estimate is {@link
 * #NEVER}.
 */
public final class ParametricMigrationEstimator implements MigrationTimeEstimator {
  /** Returned when the link share cannot outpace the dirty rate. */
  public static final Duration NEVER = Duration.ofDays(365);

  private final MigrationAssumptions assumptions;

  public ParametricMigrationEstimator(MigrationAssumptions assumptions) {
    this.assumptions = Objects.requireNonNull(assumptions, "assumptions");
  }

  public MigrationAssumptions assumptions() {
    return assumptions;
  }

  @Override
  public Duration estimate(double ramGiB, int concurrentOnLink) {
    if (!(ramGiB > 0)) {
      throw new IllegalArgumentException("ramGiB must be positive, got " + ramGiB);
    }
    if (concurrentOnLink < 1) {
      throw new IllegalArgumentException("concurrentOnLink must be >= 1, got " + concurrentOnLink);
    }
    double share = assumptions.effectiveMiBps() / concurrentOnLink;
    double net = share - assumptions.dirtyMiBps();
    if (net <= 0) {
      return NEVER;
    }
    return Duration.ofMillis((long) (ramGiB * 1024 / net * 1000));
  }
}
