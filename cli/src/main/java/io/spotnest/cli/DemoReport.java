package io.spotnest.cli;

import io.spotnest.orchestrator.adapter.migration.MoveReport;
import java.io.PrintStream;
import java.util.Locale;

/** The demo's closing report and its one summary line. */
final class DemoReport {
  private DemoReport() {}

  static int finished(FleetDemo.Result r) {
    return (int) r.builds().stream().filter(b -> b.started() && b.unbroken()).count();
  }

  static int restarted(FleetDemo.Result r) {
    return (int) r.builds().stream().filter(BuildWatch.Build::restarted).count() + r.lostBuilds();
  }

  static long maxPauseMs(FleetDemo.Result r) {
    return r.moves().stream()
        .filter(DemoMove::migrated)
        .mapToLong(m -> m.report().outcome().downtime().toMillis())
        .max()
        .orElse(0);
  }

  /** Moves that switched the VM over; refused and failed moves are not migrations. */
  static int migrations(FleetDemo.Result r) {
    return (int) r.moves().stream().filter(DemoMove::migrated).count();
  }

  /** Moves the engine refused up front (the VM stayed, nothing copied). */
  static int refused(FleetDemo.Result r) {
    return (int) r.moves().stream().filter(DemoMove::refused).count();
  }

  static double savingPct(FleetDemo.Result r) {
    return r.allOnDemandUsd() > 0 ? 100 * (1 - r.costUsd() / r.allOnDemandUsd()) : 0;
  }

  /** The summary line, exactly as the README and the lab test expect it. */
  static String line(FleetDemo.Result r) {
    return String.format(
        Locale.ROOT,
        "demo: builds_finished=%d builds_restarted=%d migrations=%d max_pause_ms=%d "
            + "saving_vs_ondemand_pct=%.1f",
        finished(r),
        restarted(r),
        migrations(r),
        maxPauseMs(r),
        savingPct(r));
  }

  static void print(PrintStream out, FleetDemo.Result r) {
    out.println("demo: report (wall time " + r.wall().toSeconds() + " s)");
    for (BuildWatch.Build b : r.builds()) {
      out.printf(
          Locale.ROOT,
          "  build %s: %s at step %d (%d steps received; %d connection(s), %d boot id(s), %d "
              + "gap(s))%n",
          b.vm(),
          b.unbroken() ? "finished, counter unbroken," : "BROKEN",
          b.lastStep(),
          b.steps(),
          b.connections().size(),
          b.bootIds().size(),
          b.gaps());
    }
    if (r.lostBuilds() > 0) {
      out.println("  lost builds (requeued): " + r.lostBuilds());
    }
    for (DemoMove d : r.moves()) {
      MoveReport m = d.report();
      if (d.refused()) {
        out.printf(
            Locale.ROOT,
            "  move of %s %s -> %s (%s): refused by the engine up front, its plan missing the"
                + " deadline (the VM stayed on %s): %s%n",
            m.order().agentId(),
            m.order().from(),
            m.order().to(),
            d.kind(),
            m.outcome().runningOn().orElse(m.order().from()),
            m.outcome().message());
        continue;
      }
      out.printf(
          Locale.ROOT,
          "  migration of %s %s -> %s (%s): %s, %d ms in all, pause %d ms%n",
          m.order().agentId(),
          m.order().from(),
          m.order().to(),
          d.kind(),
          d.migrated() ? "ok" : "FAILED (" + m.outcome().message() + ")",
          m.outcome().total().toMillis(),
          m.outcome().downtime().toMillis());
    }
    if (refused(r) > 0) {
      out.printf(
          Locale.ROOT,
          "  %d move(s) refused up front, not counted as migrations: the strategy asks again at its"
              + " next tick%n",
          refused(r));
    }
    out.printf(
        Locale.ROOT,
        "  cost: %.2f agent-hours of trace time at each host's price: $%.2f, against $%.2f all "
            + "on-demand (%.1f%% saved; agent time only, a host's spare room is not counted)%n",
        r.agentHours(),
        r.costUsd(),
        r.allOnDemandUsd(),
        savingPct(r));
    r.notes().forEach(n -> out.println("  note: " + n));
    out.println(line(r));
  }
}
