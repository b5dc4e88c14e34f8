package io.spotnest.cli;

import io.spotnest.dashboard.AgentView;
import io.spotnest.dashboard.DashboardServer;
import io.spotnest.dashboard.DashboardSnapshot;
import io.spotnest.dashboard.orchestrator.FleetViewSource;
import io.spotnest.orchestrator.journal.Journal;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.view.FleetHistory;
import io.spotnest.orchestrator.view.FleetSnapshot;
import io.spotnest.orchestrator.view.FleetView;
import io.spotnest.orchestrator.view.JournalTap;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The live dashboard of {@code spotnest serve} during the demo, on 127.0.0.1 behind its access
 * token: the orchestrator's {@link FleetView} (hosts, agents, each pool's risk, the migrations, the
 * cost so far), published by the demo's loop after every tick, with the builds' step counters the
 * demo reads from the agent channel.
 */
final class DemoDashboard implements AutoCloseable {
  /** Risk points kept per pool. */
  private static final int RISK_POINTS = 2000;

  private static final String NO_STEPS = "build steps are not reported";

  private final FleetHistory history;
  private final FleetView view;
  private final Map<String, Long> steps = new ConcurrentHashMap<>();
  private final DashboardServer server;

  private DemoDashboard(Clock clock, int port) {
    history = new FleetHistory(clock, RISK_POINTS);
    view = new FleetView(FleetSnapshot.empty(clock.instant()));
    FleetViewSource fleet = new FleetViewSource(view);
    server =
        LoopbackDashboard.start(() -> withSteps(fleet.snapshot(), steps), port, "--dashboard-port");
  }

  /** Serves an empty fleet on {@code 127.0.0.1:port} (0: any free port) until closed. */
  static DemoDashboard start(Clock clock, int port) {
    return new DemoDashboard(clock, port);
  }

  /** The journal the orchestrator writes through, so that the history sees every record. */
  Journal tap(Journal journal) {
    return new JournalTap(journal, List.of(history));
  }

  /** From now on records are the orchestrator's live ones. */
  void live(Supplier<FleetState> state) {
    history.live(state);
  }

  /** The address to open, without the token. */
  URI address() {
    return server.baseUri();
  }

  /** The address that signs a browser in; for the user's terminal only. */
  URI signIn() {
    return server.signInUri();
  }

  /** A build's step counter as the demo last read it. */
  void step(String agentId, long step) {
    if (step >= 0) {
      steps.put(agentId, step);
    }
  }

  /** After a tick: records the pools' risk and the cost since the last call, then publishes. */
  void publish(Instant now, Map<PoolKey, Double> risk, FleetState state, List<MarketQuote> quotes) {
    history.sample(now, risk);
    Map<PoolKey, MarketQuote> latest = new HashMap<>();
    quotes.forEach(q -> latest.put(q.pool(), q));
    history.accrue(now, state, latest);
    view.publish(history.snapshot(state, now));
  }

  /** The fleet's snapshot with the builds' step counters, as the demo last read them. */
  static DashboardSnapshot withSteps(DashboardSnapshot s, Map<String, Long> steps) {
    return new DashboardSnapshot(
        s.asOfEpochMs(),
        "spotnest demo: the orchestrator on the local testbed, replaying a spot trace",
        s.notes().stream().filter(n -> !n.startsWith(NO_STEPS)).toList(),
        s.hosts(),
        s.agents().stream()
            .map(a -> new AgentView(a.id(), a.state(), a.host(), steps.getOrDefault(a.id(), 0L)))
            .toList(),
        s.risk(),
        s.pools(),
        s.migrations(),
        s.losses(),
        s.savings());
  }

  @Override
  public void close() {
    server.close();
  }
}
