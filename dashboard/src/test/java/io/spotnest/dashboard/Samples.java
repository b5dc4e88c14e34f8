package io.spotnest.dashboard;

import java.util.List;

/** Snapshots for tests: a small fleet in two shapes, before and after one migration. */
final class Samples {
  static final long T0 = 1_681_900_000_000L;

  /** A closure reason that would be markup if the page inserted it as HTML. */
  static final String INJECTED =
      "spot launch failed: <img src=x onerror=\"document.body.dataset.injected=1\">";

  private Samples() {}

  /**
   * Two spot hosts and one on-demand host, two agents, two pools (1c closed after a failed launch),
   * no migration yet.
   */
  static DashboardSnapshot before() {
    return new DashboardSnapshot(
        T0 + 600_000,
        "test fleet",
        List.of("in-memory test source"),
        List.of(
            new HostView(
                "h-spot-1",
                Market.SPOT,
                "r5.16xlarge@us-east-1b",
                "us-east-1b",
                0.125,
                List.of("a1")),
            new HostView(
                "h-spot-2",
                Market.SPOT,
                "r5.16xlarge@us-east-1c",
                "us-east-1c",
                0.0625,
                List.of("a2")),
            new HostView("h-od-1", Market.ON_DEMAND, "r5.16xlarge", "us-east-1d", 0, List.of())),
        List.of(
            new AgentView("a1", "busy", "h-spot-1", 41),
            new AgentView("a2", "busy", "h-spot-2", 17)),
        List.of(
            new PoolRisk(
                "r5.16xlarge@us-east-1b",
                "us-east-1b",
                15,
                List.of(
                    new RiskPoint(T0, 0.05),
                    new RiskPoint(T0 + 300_000, 0.09),
                    new RiskPoint(T0 + 600_000, 0.125))),
            new PoolRisk(
                "r5.16xlarge@us-east-1c",
                "us-east-1c",
                15,
                List.of(new RiskPoint(T0, 0.04), new RiskPoint(T0 + 600_000, 0.0625)))),
        List.of(
            PoolView.open("r5.16xlarge@us-east-1b", "us-east-1b", 0.125),
            new PoolView(
                "r5.16xlarge@us-east-1c",
                "us-east-1c",
                "closed",
                "launch-failed",
                INJECTED,
                T0 + 300_000,
                T0 + 900_000,
                null,
                0.0625)),
        List.of(),
        List.of(),
        new Savings(3.5, 10.0));
  }

  /**
   * Later: agent a1 moved to on demand (with a pause), build steps advanced, risk rose on 1b and 1b
   * drains (a burst); 1c's closure is one replayed from an earlier run (no since, no risk).
   */
  static DashboardSnapshot after() {
    return new DashboardSnapshot(
        T0 + 900_000,
        "test fleet",
        List.of("in-memory test source"),
        List.of(
            new HostView(
                "h-spot-1", Market.SPOT, "r5.16xlarge@us-east-1b", "us-east-1b", 0.875, List.of()),
            new HostView(
                "h-spot-2",
                Market.SPOT,
                "r5.16xlarge@us-east-1c",
                "us-east-1c",
                0.0625,
                List.of("a2")),
            new HostView(
                "h-od-1", Market.ON_DEMAND, "r5.16xlarge", "us-east-1d", 0, List.of("a1"))),
        List.of(
            new AgentView("a1", "online", "h-od-1", 58),
            new AgentView("a2", "busy", "h-spot-2", 33)),
        List.of(
            new PoolRisk(
                "r5.16xlarge@us-east-1b",
                "us-east-1b",
                15,
                List.of(
                    new RiskPoint(T0, 0.05),
                    new RiskPoint(T0 + 600_000, 0.125),
                    new RiskPoint(T0 + 900_000, 0.875))),
            new PoolRisk(
                "r5.16xlarge@us-east-1c",
                "us-east-1c",
                15,
                List.of(new RiskPoint(T0, 0.04), new RiskPoint(T0 + 900_000, 0.0625)))),
        List.of(
            new PoolView(
                "r5.16xlarge@us-east-1b",
                "us-east-1b",
                "draining",
                "burst-drain",
                "burst drain: notice for h-spot-9",
                T0 + 800_000,
                T0 + 1_800_000,
                T0 + 1_100_000,
                0.875),
            new PoolView(
                "r5.16xlarge@us-east-1c",
                "us-east-1c",
                "closed",
                "no-capacity",
                INJECTED,
                null,
                T0 + 900_000,
                null,
                null)),
        List.of(new MigrationView("a1", "h-spot-1", "h-od-1", T0 + 700_000, 4_321, 187, "risk")),
        List.of(),
        new Savings(5.25, 15.0));
  }
}
