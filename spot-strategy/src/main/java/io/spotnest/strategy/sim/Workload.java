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

  /** The same builds, each asking for a standing copy as {@code wish} says, and saying so. */
  public Workload withCopyWish(CopyWish wish) {
    List<Build> marked = builds.stream().map(b -> b.withCopy(wish.request(b))).toList();
    long asking = marked.stream().filter(Build::standingCopy).count();
    return new Workload(
        description
            + "; copy wish "
            + wish
            + " ("
            + asking
            + " of "
            + marked.size()
            + " builds ask for a standing copy)",
        marked);
  }
}
