package io.spotnest.strategy.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The default CI-farm workload, seeded: Poisson arrivals, durations log-uniform in 20–180 min,
 * agent RAM 8, 16, 32 or 64 GiB with weights 30/30/25/15 % (sizes that do not fit the smallest host
 * are left out).
 */
public final class WorkloadGenerator {
  private static final double[] RAM = {8, 16, 32, 64};
  private static final double[] WEIGHT = {0.30, 0.30, 0.25, 0.15};

  /**
   * @param arrivalsPerHour mean arrival rate
   * @param untilMin last arrival time
   * @param maxRamGiB largest agent that fits a host
   */
  public Workload generate(long seed, double arrivalsPerHour, double untilMin, double maxRamGiB) {
    if (!(arrivalsPerHour > 0)) {
      throw new IllegalArgumentException(
          "arrivalsPerHour must be positive, got " + arrivalsPerHour);
    }
    if (!(maxRamGiB >= RAM[0])) {
      throw new IllegalArgumentException(
          "hosts are too small for an 8 GiB agent (" + maxRamGiB + " GiB usable)");
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    double total = 0;
    for (int i = 0; i < RAM.length; i++) {
      total += RAM[i] <= maxRamGiB ? WEIGHT[i] : 0;
    }
    List<Build> builds = new ArrayList<>();
    double t = 0;
    while (true) {
      t += -Math.log(1 - rnd.nextDouble()) * 60 / arrivalsPerHour;
      if (t > untilMin) {
        break;
      }
      double duration = 20 * Math.pow(180.0 / 20, rnd.nextDouble());
      double u = rnd.nextDouble() * total;
      double ram = RAM[0];
      for (int i = 0; i < RAM.length; i++) {
        if (RAM[i] > maxRamGiB) {
          continue;
        }
        if (u < WEIGHT[i]) {
          ram = RAM[i];
          break;
        }
        u -= WEIGHT[i];
      }
      builds.add(new Build(builds.size(), t, duration, ram));
    }
    StringBuilder sizes = new StringBuilder();
    for (double r : RAM) {
      if (r <= maxRamGiB) {
        sizes.append(sizes.length() == 0 ? "" : "/").append((int) r);
      }
    }
    return new Workload(
        String.format(
            Locale.ROOT,
            "generated CI workload (seed %d, %.1f builds/h, 20-180 min, " + "%s GiB agents)",
            seed,
            arrivalsPerHour,
            sizes),
        builds);
  }
}
