package io.spotnest.strategy.sim;

import java.util.Comparator;
import java.util.List;

/** A build workload, ordered by arrival. */
public record Workload(String description, List<Build> builds) {
  public Workload {
    builds = builds.stream().sorted(Comparator.comparingDouble(Build::arrivalMin)).toList();
  }

  public double maxRamGiB() {
    return builds.stream().mapToDouble(Build::ramGiB).max().orElse(0);
  }
}
