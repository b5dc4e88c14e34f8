package io.spotnest.strategy.policy;

/**
 * The parameters of the parametric migration model. Defaults are assumptions until the migration
 * benchmark (docs/benchmarks.md) measures them: change {@link #MEASURED_EFFICIENCY} in one line.
 *
 * @param linkGbit the source host's link, Gbit/s
 * @param efficiency the fraction of the link a migration stream achieves
 * @param dirtyMiBps the rate at which a running build dirties guest memory, MiB/s
 */
public record MigrationAssumptions(double linkGbit, double efficiency, double dirtyMiBps) {
  /** Efficiency of a migration stream on the link; to be filled from docs/benchmarks.md. */
  public static final double MEASURED_EFFICIENCY = 0.8;

  /** Assumed host link: 10 Gbit/s. */
  public static final double DEFAULT_LINK_GBIT = 10;

  /** Assumed compile-like dirty rate: 128 MiB/s per agent. */
  public static final double COMPILE_DIRTY_MIBPS = 128;

  public static final MigrationAssumptions DEFAULTS =
      new MigrationAssumptions(DEFAULT_LINK_GBIT, MEASURED_EFFICIENCY, COMPILE_DIRTY_MIBPS);

  public MigrationAssumptions {
    if (!(linkGbit > 0) || Double.isInfinite(linkGbit)) {
      throw new IllegalArgumentException(
          "linkGbit must be a finite positive number, got " + linkGbit);
    }
    if (!(efficiency > 0 && efficiency <= 1)) {
      throw new IllegalArgumentException("efficiency must be in (0, 1], got " + efficiency);
    }
    if (!(dirtyMiBps >= 0) || Double.isInfinite(dirtyMiBps)) {
      throw new IllegalArgumentException(
          "dirtyMiBps must be a finite non-negative number, got " + dirtyMiBps);
    }
    double effective = effectiveMiBps(linkGbit, efficiency);
    if (dirtyMiBps >= effective) {
      throw new IllegalArgumentException(
          "dirtyMiBps "
              + dirtyMiBps
              + " must be below the effective link rate "
              + effective
              + " MiB/s or a migration never converges");
    }
  }

  /** The effective stream rate in MiB/s: link × efficiency. */
  public double effectiveMiBps() {
    return effectiveMiBps(linkGbit, efficiency);
  }

  private static double effectiveMiBps(double linkGbit, double efficiency) {
    return linkGbit * 1e9 / 8 / (1024 * 1024) * efficiency;
  }
}
