package io.spotnest.strategy.sim;

import java.util.Locale;
import java.util.Map;

/** Formats the side-by-side comparison and the contract's summary line. */
public final class ComparisonTable {
  public static final String OURS = "ours (risk model + policy)";
  public static final String ORACLE = "oracle";
  public static final String ON_DEMAND = "on-demand only";

  public String format(Map<String, SimResult> results) {
    double base = results.get(ON_DEMAND).cost();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-28s %12s %7s %9s %9s %11s %10s %9s %12s %9s%n", "strategy", "cost_odGiBh", "od_%",
        "saving%", "restarts", "lost_build_h", "migrations", "missed", "mean_done_min", "unfinished"));
    for (SimResult r : results.values()) {
      sb.append(String.format(Locale.ROOT, "%-28s %12.0f %7.1f %9.1f %9d %11.1f %10d %9d %12.1f %9d%n", r.strategy(),
          r.cost(), r.cost() <= 0 ? 0 : 100 * r.onDemandCost() / r.cost(), r.savingPct(base), r.buildsRestarted(), r.buildHoursLost(), r.migrations(), r.deadlineMisses(),
          r.meanCompletionMin(), r.incomplete()));
    }
    return sb.toString();
  }

  /** Our saving divided by the oracle's, in percent (100 when the oracle saves nothing and neither do we). */
  public static double oracleRatioPct(Map<String, SimResult> results) {
    double base = results.get(ON_DEMAND).cost();
    double ours = results.get(OURS).savingPct(base);
    double oracle = results.get(ORACLE).savingPct(base);
    return oracle <= 0 ? (ours >= oracle ? 100 : 0) : 100 * ours / oracle;
  }

  public String summaryLine(Map<String, SimResult> results) {
    SimResult ours = results.get(OURS);
    return String.format(Locale.ROOT,
        "simulate: saving_vs_ondemand_pct=%.1f oracle_ratio_pct=%.1f builds_restarted=%d deadline_misses=%d migrations=%d",
        ours.savingPct(results.get(ON_DEMAND).cost()), oracleRatioPct(results), ours.buildsRestarted(),
        ours.deadlineMisses(), ours.migrations());
  }
}
