package io.spotnest.strategy.sim;

import java.util.Locale;
import java.util.Map;

/** Formats the side-by-side comparison and the contract's summary line. */
public final class ComparisonTable {
  public static final String OURS = "ours (risk model + policy)";
  public static final String ORACLE = "oracle";
  public static final String ON_DEMAND = "on-demand only";

  /** Below this oracle saving (in points, either sign) a ratio to it means nothing. */
  public static final double MIN_ORACLE_SAVING_PCT = 1.0;

  public String format(Map<String, SimResult> results) {
    double base = results.get(ON_DEMAND).cost();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-28s %12s %7s %9s %9s %11s %10s %9s %12s %9s %11s %11s %9s %8s%n",
            "strategy",
            "cost_odGiBh",
            "od_%",
            "saving%",
            "restarted",
            "lost_build_h",
            "migrations",
            "missed",
            "mean_done_min",
            "unfinished",
            "moved_GiB",
            "xzone_GiB",
            "copy_GiB",
            "flushes"));
    for (SimResult r : results.values()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-28s %12.0f %7.1f %9s %9d %11.1f %10d %9d %12.1f %9d %11.0f %11.0f %9.0f %8d%n",
              r.strategy(),
              r.cost(),
              r.cost() <= 0 ? 0 : 100 * r.onDemandCost() / r.cost(),
              pct(r.savingPct(base)),
              r.buildsRestarted(),
              r.buildHoursLost(),
              r.migrations(),
              r.deadlineMisses(),
              r.meanCompletionMin(),
              r.incomplete(),
              r.migratedGiB(),
              r.crossZoneGiB(),
              r.copyGiB(),
              r.flushes()));
    }
    for (SimResult r : results.values()) {
      if (!r.note().isEmpty()) {
        sb.append(r.note()).append(System.lineSeparator());
      }
    }
    return sb.toString();
  }

  /**
   * Our saving divided by the oracle's, in percent; NaN (printed n/a) when the oracle's saving is
   * within {@link #MIN_ORACLE_SAVING_PCT} points of zero or either saving is undefined.
   */
  public static double oracleRatioPct(Map<String, SimResult> results) {
    double base = results.get(ON_DEMAND).cost();
    double ours = results.get(OURS).savingPct(base);
    double oracle = results.get(ORACLE).savingPct(base);
    if (!Double.isFinite(ours)
        || !Double.isFinite(oracle)
        || Math.abs(oracle) < MIN_ORACLE_SAVING_PCT) {
      return Double.NaN;
    }
    return 100 * ours / oracle;
  }

  public String summaryLine(Map<String, SimResult> results) {
    SimResult ours = results.get(OURS);
    return String.format(
        Locale.ROOT,
        "simulate: saving_vs_ondemand_pct=%s oracle_ratio_pct=%s builds_restarted=%d deadline_misses=%d migrations=%d",
        pct(ours.savingPct(results.get(ON_DEMAND).cost())),
        pct(oracleRatioPct(results)),
        ours.buildsRestarted(),
        ours.deadlineMisses(),
        ours.migrations());
  }

  /**
   * Ours' restarted builds by cause, measured in the run (every cause, zeros included; they add up
   * to {@code restarted}), then how many were in a move at the notice: {@code restart_causes (...):
   * restarted=<n> declined=<n> ... | in_move_at_notice burst_drain=<n> ...}.
   */
  public String restartCauseLine(Map<String, SimResult> results) {
    SimResult ours = results.get(OURS);
    RestartBreakdown b = ours.restarts();
    StringBuilder sb =
        new StringBuilder(
            "restart_causes (ours, distinct builds, protection at the notice or at the start of"
                + " the move it was in): ");
    sb.append("restarted=").append(ours.buildsRestarted());
    for (RestartCause c : RestartCause.values()) {
      sb.append(' ').append(c.key()).append('=').append(b.count(c));
    }
    sb.append(" | in_move_at_notice");
    for (RestartCause.Move m : RestartCause.Move.values()) {
      sb.append(' ').append(m.key()).append('=').append(b.inMove(m));
    }
    return sb.toString();
  }

  /** One decimal, or n/a for a value that is not a finite number. */
  static String pct(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "n/a";
  }
}
