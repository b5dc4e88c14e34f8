package io.spotnest.migration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * In-memory hosts for the engine's unit tests: a {@link HypervisorFactory} over {@link
 * FakeHypervisor}s that know each other, so a fake migration moves a VM from one to another. Each
 * host offers 4096 MiB.
 */
final class FakeCluster implements HypervisorFactory {

  private final Map<String, FakeHypervisor> hosts = new LinkedHashMap<>();

  FakeCluster(String... names) {
    for (String n : names) {
      hosts.put(
          n,
          new FakeHypervisor(
              this,
              new HypervisorEndpoint(
                  n,
                  "qemu+unix:///system?socket=/fake/" + n,
                  "qemu+tls://" + n + "/system",
                  4096)));
    }
  }

  FakeHypervisor host(String name) {
    FakeHypervisor h = hosts.get(name);
    if (h == null) {
      throw new IllegalArgumentException("no fake host " + name);
    }
    return h;
  }

  /**
   * An engine over these hosts with the planner the fake-host tests use (efficiency 0.8, no set-up
   * time), on {@code clock}, polling every 200 ms and waiting {@code grace} past the deadline.
   */
  MigrationEngine engine(java.time.Clock clock, java.time.Duration grace) {
    return new MigrationEngine(
        endpoints(),
        new MigrationPlanner(0.8, java.time.Duration.ZERO),
        this,
        clock,
        new RunTimings(
            java.time.Duration.ofMillis(200),
            grace,
            java.time.Duration.ofMillis(100),
            java.time.Duration.ofMillis(500)));
  }

  List<HypervisorEndpoint> endpoints() {
    return hosts.values().stream().map(FakeHypervisor::endpoint).toList();
  }

  @Override
  public Hypervisor connect(HypervisorEndpoint endpoint) {
    FakeHypervisor h = host(endpoint.name());
    h.requireReachable();
    return h;
  }

  /** Releases every call still blocked in a fake (end of a test). */
  void releaseAll() {
    hosts.values().forEach(FakeHypervisor::release);
  }
}
