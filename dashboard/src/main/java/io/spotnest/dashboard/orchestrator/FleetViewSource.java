package io.spotnest.dashboard.orchestrator;

import io.spotnest.dashboard.AgentView;
import io.spotnest.dashboard.DashboardSnapshot;
import io.spotnest.dashboard.DashboardSource;
import io.spotnest.dashboard.HostView;
import io.spotnest.dashboard.LossView;
import io.spotnest.dashboard.Market;
import io.spotnest.dashboard.MigrationView;
import io.spotnest.dashboard.PoolRisk;
import io.spotnest.dashboard.PoolView;
import io.spotnest.dashboard.RiskPoint;
import io.spotnest.dashboard.Savings;
import io.spotnest.orchestrator.model.ClosureKind;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.view.AgentSnapshot;
import io.spotnest.orchestrator.view.FleetSnapshot;
import io.spotnest.orchestrator.view.FleetView;
import io.spotnest.orchestrator.view.HostSnapshot;
import io.spotnest.orchestrator.view.LostRecord;
import io.spotnest.orchestrator.view.MoveRecord;
import io.spotnest.orchestrator.view.PoolRiskSeries;
import io.spotnest.orchestrator.view.PoolStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The dashboard over the orchestrator: each request maps the {@link FleetView}'s latest immutable
 * snapshot, so it never blocks the control loop. Migrations are the moves that switched over; lost
 * builds are the losses (and a line each in the notes naming the agent, its host and what happened,
 * as journaled: the host vanished, the VM failed to boot, ...); pools are the spot pools the
 * strategy assessed or a closure named, open, closed or draining.
 */
public final class FleetViewSource implements DashboardSource {
  /**
   * The horizon of the orchestrator's pool risk (the strategy's 15-minute reclamation probability).
   */
  static final int HORIZON_MINUTES = 15;

  private final FleetView view;

  public FleetViewSource(FleetView view) {
    this.view = Objects.requireNonNull(view, "view");
  }

  @Override
  public DashboardSnapshot snapshot() {
    FleetSnapshot s = view.snapshot();
    List<String> notes = new ArrayList<>(s.notes());
    notes.add("build steps are not reported by the orchestrator (shown as 0)");
    for (LostRecord l : s.lost()) {
      notes.add(note(l));
    }
    return new DashboardSnapshot(
        s.at().toEpochMilli(),
        "orchestrator",
        notes,
        hosts(s),
        agents(s),
        risk(s),
        pools(s),
        migrations(s),
        losses(s),
        new Savings(s.cost().costUsd(), s.cost().allOnDemandUsd()));
  }

  /**
   * A lost build's line in the notes: the agent, the host it was on (left out when the record names
   * none; the reason says what happened), what happened, and its requeue.
   */
  static String note(LostRecord l) {
    return "lost build on agent "
        + l.agentId()
        + (l.hostId() == null ? "" : " on host " + l.hostId())
        + ": "
        + l.reason()
        + (l.requeuedAs() == null ? "" : "; requeued as " + l.requeuedAs());
  }

  private static List<HostView> hosts(FleetSnapshot s) {
    return s.hosts().stream().map(FleetViewSource::host).toList();
  }

  private static HostView host(HostSnapshot h) {
    boolean spot = h.market() == io.spotnest.orchestrator.model.Market.SPOT;
    return new HostView(
        h.id(),
        spot ? Market.SPOT : Market.ON_DEMAND,
        spot ? poolName(h.pool()) : h.pool().instanceType(),
        h.pool().zoneId(),
        clamp(h.risk()),
        h.agents());
  }

  private static List<AgentView> agents(FleetSnapshot s) {
    List<AgentView> out = new ArrayList<>();
    for (AgentSnapshot a : s.agents()) {
      out.add(
          new AgentView(
              a.id(),
              a.phase().name().toLowerCase(Locale.ROOT),
              a.hostId() == null ? "" : a.hostId(),
              0));
    }
    return out;
  }

  private static List<PoolRisk> risk(FleetSnapshot s) {
    List<PoolRisk> out = new ArrayList<>();
    for (PoolRiskSeries p : s.risk()) {
      List<RiskPoint> points =
          p.points().stream()
              .map(x -> new RiskPoint(x.at().toEpochMilli(), clamp(x.risk())))
              .toList();
      out.add(new PoolRisk(poolName(p.pool()), p.pool().zoneId(), HORIZON_MINUTES, points));
    }
    return out;
  }

  private static List<PoolView> pools(FleetSnapshot s) {
    List<PoolView> out = new ArrayList<>();
    for (PoolStatus p : s.pools()) {
      out.add(
          new PoolView(
              poolName(p.pool()),
              p.pool().zoneId(),
              p.state().name().toLowerCase(Locale.ROOT),
              p.kind() == null ? null : kindName(p.kind()),
              p.reason(),
              epochMs(p.since()),
              epochMs(p.until()),
              epochMs(p.drainBy()),
              p.risk() == null ? null : clamp(p.risk())));
    }
    return out;
  }

  /** A closure kind as {@code /api/pools} names it: {@code NO_CAPACITY} is {@code no-capacity}. */
  static String kindName(ClosureKind kind) {
    return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static Long epochMs(Instant t) {
    return t == null ? null : t.toEpochMilli();
  }

  private static List<MigrationView> migrations(FleetSnapshot s) {
    List<MigrationView> out = new ArrayList<>();
    for (MoveRecord m : s.moves()) {
      if (m.outcome() != MoveRecord.Outcome.MOVED) {
        continue;
      }
      long pause = millis(m.paused());
      long took = Math.max(millis(m.took()), pause);
      out.add(
          new MigrationView(
              m.agentId(),
              m.from(),
              m.to(),
              m.startedAt() == null ? 0 : m.startedAt().toEpochMilli(),
              took,
              pause,
              m.reason() == null ? "unknown" : m.reason()));
    }
    return out;
  }

  private static List<LossView> losses(FleetSnapshot s) {
    return s.lost().stream()
        .map(
            l -> new LossView(l.agentId(), l.hostId(), l.reason(), epochMs(l.at()), l.requeuedAs()))
        .toList();
  }

  private static String poolName(PoolKey pool) {
    return pool.instanceType() + "@" + pool.zoneId();
  }

  private static long millis(Duration d) {
    return d == null ? 0 : Math.max(0, d.toMillis());
  }

  private static double clamp(double risk) {
    return Double.isNaN(risk) ? 0 : Math.min(1, Math.max(0, risk));
  }
}
