package io.spotnest.strategy.sim;

import io.spotnest.strategy.policy.MigrationAssumptions;
import java.util.Objects;

/**
 * Simulator settings; all documented in docs/risk-model.md.
 *
 * @param tickSeconds simulation step
 * @param launchSeconds time from requesting a host until it is ready to take agents (boot +
 *     nested-virt setup)
 * @param idleSeconds an empty host is terminated after this long
 * @param noticeSeconds the provider's interruption notice
 * @param burstSpreadSeconds the hosts of a pool hit by one reclamation are reclaimed within this
 *     window
 * @param hostOverheadGiB host RAM not available to agents
 * @param maxMigrationsPerSource concurrent outgoing migrations per host (they share its link)
 * @param migration link, efficiency and dirty rate
 * @param seed seeds the burst spread and victim choice
 * @param failedLaunchSeconds how long a spot launch into a pool without capacity takes to fail (the
 *     build waits)
 * @param crossZoneUsdPerGBEachWay transfer price between zones of a region, charged on both sides
 *     (AWS: $0.01/GB)
 */
public record SimConfig(
    int tickSeconds,
    int launchSeconds,
    int idleSeconds,
    int noticeSeconds,
    int burstSpreadSeconds,
    double hostOverheadGiB,
    int maxMigrationsPerSource,
    MigrationAssumptions migration,
    long seed,
    int failedLaunchSeconds,
    double crossZoneUsdPerGBEachWay) {

  public static final SimConfig DEFAULTS =
      new SimConfig(10, 180, 600, 120, 180, 4, 2, MigrationAssumptions.DEFAULTS, 42, 60, 0.01);

  public SimConfig {
    positive("tickSeconds", tickSeconds);
    positive("launchSeconds", launchSeconds);
    positive("idleSeconds", idleSeconds);
    positive("noticeSeconds", noticeSeconds);
    if (burstSpreadSeconds < 0) {
      throw new IllegalArgumentException(
          "burstSpreadSeconds must be >= 0, got " + burstSpreadSeconds);
    }
    if (!(hostOverheadGiB >= 0)) {
      throw new IllegalArgumentException("hostOverheadGiB must be >= 0, got " + hostOverheadGiB);
    }
    positive("maxMigrationsPerSource", maxMigrationsPerSource);
    Objects.requireNonNull(migration, "migration");
    if (failedLaunchSeconds < 0) {
      throw new IllegalArgumentException(
          "failedLaunchSeconds must be >= 0, got " + failedLaunchSeconds);
    }
    if (!(crossZoneUsdPerGBEachWay >= 0) || Double.isInfinite(crossZoneUsdPerGBEachWay)) {
      throw new IllegalArgumentException(
          "crossZoneUsdPerGBEachWay must be a finite number >= 0, got " + crossZoneUsdPerGBEachWay);
    }
  }

  private static void positive(String name, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + v);
    }
  }

  public SimConfig withMigration(MigrationAssumptions m) {
    return new SimConfig(
        tickSeconds,
        launchSeconds,
        idleSeconds,
        noticeSeconds,
        burstSpreadSeconds,
        hostOverheadGiB,
        maxMigrationsPerSource,
        m,
        seed,
        failedLaunchSeconds,
        crossZoneUsdPerGBEachWay);
  }

  public SimConfig withLaunchSeconds(int s) {
    return new SimConfig(
        tickSeconds,
        s,
        idleSeconds,
        noticeSeconds,
        burstSpreadSeconds,
        hostOverheadGiB,
        maxMigrationsPerSource,
        migration,
        seed,
        failedLaunchSeconds,
        crossZoneUsdPerGBEachWay);
  }

  public SimConfig withSeed(long s) {
    return new SimConfig(
        tickSeconds,
        launchSeconds,
        idleSeconds,
        noticeSeconds,
        burstSpreadSeconds,
        hostOverheadGiB,
        maxMigrationsPerSource,
        migration,
        s,
        failedLaunchSeconds,
        crossZoneUsdPerGBEachWay);
  }
}
