package io.spotnest.strategy.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Spot Advisor feed (Linux pools): per region and instance type, the saving and interruption
 * bucket.
 */
public record SpotAdvisorData(
    Map<String, Map<String, AdvisorEntry>> linux, Map<String, InstanceSpec> instanceTypes) {

  public SpotAdvisorData {
    linux = Map.copyOf(linux);
    instanceTypes = Map.copyOf(instanceTypes);
  }

  public Optional<AdvisorEntry> entry(String region, String instanceType) {
    return Optional.ofNullable(linux.get(region)).map(m -> m.get(instanceType));
  }

  public Optional<InstanceSpec> spec(String instanceType) {
    return Optional.ofNullable(instanceTypes.get(instanceType));
  }

  /**
   * The median Linux saving over all pools, a documented fallback for pools missing from the feed.
   */
  public int medianSavingPct() {
    List<Integer> all = new ArrayList<>();
    linux.values().forEach(m -> m.values().forEach(e -> all.add(e.savingPct())));
    if (all.isEmpty()) {
      throw new IllegalStateException("the Spot Advisor data holds no Linux pools");
    }
    Collections.sort(all);
    return all.get(all.size() / 2);
  }

  public int poolCount() {
    return linux.values().stream().mapToInt(Map::size).sum();
  }
}
