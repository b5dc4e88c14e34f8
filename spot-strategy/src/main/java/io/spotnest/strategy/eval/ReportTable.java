package io.spotnest.strategy.eval;

import java.util.Locale;

/** Formats a {@link RiskEvaluation.Report} as the table the {@code evaluate} command prints. */
public final class ReportTable {

  public String format(RiskEvaluation.Report r, String label) {
    StringBuilder sb = new StringBuilder();
    var p = r.fit().parameters();
    sb.append(
        String.format(
            Locale.ROOT,
            "%s: trained on the first %.0f%% of each trace, held-out = the rest%n",
            label,
            r.settings().trainFraction() * 100));
    sb.append(
        String.format(
            Locale.ROOT,
            "fitted: baseScale=%.2f ageAmplitude=%.1f ageTauMin=%.0f burstBeta=%.2f/h burstTauMin=%.0f "
                + "(training events=%d); flag when P(reclaim within %d min) >= %.4f%n",
            p.baseScale(),
            p.ageAmplitude(),
            p.ageTauMin(),
            p.burstBeta(),
            p.burstTauMin(),
            r.fit().events(),
            r.settings().horizonMin(),
            r.threshold()));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-44s %7s %7s %9s %9s %9s %9s %10s%n",
            "pool (held-out)",
            "events",
            "recall",
            "precision",
            "base_rate",
            "flagged%",
            "lead_med",
            "lead_det"));
    for (RiskEvaluation.PoolResult pr : r.pools()) {
      row(sb, pr.trace().name() + " " + pr.trace().pool(), pr.heldOut());
    }
    row(sb, "ALL held-out", r.heldOut());
    row(sb, "ALL training (threshold chosen here)", r.training());
    return sb.toString();
  }

  private static void row(StringBuilder sb, String name, DetectionMetrics m) {
    sb.append(
        String.format(
            Locale.ROOT,
            "%-44s %7d %7.3f %9.3f %9.3f %9.1f %9.1f %10.1f%n",
            trim(name),
            m.events(),
            m.recall(),
            m.precision(),
            m.baseRate(),
            m.flaggedFraction() * 100,
            m.medianLeadMin(),
            m.medianLeadDetectedMin()));
  }

  private static String trim(String s) {
    return s.length() <= 44 ? s : s.substring(0, 44);
  }

  /**
   * The contract's last line; a metric with nothing to score (no event, no flagged minute) is n/a.
   */
  public String summaryLine(RiskEvaluation.Report r) {
    DetectionMetrics m = r.heldOut();
    return "evaluate: recall="
        + number(m.recall(), "%.3f", 1)
        + " precision="
        + number(m.precision(), "%.3f", 1)
        + " median_lead_min="
        + number(m.medianLeadMin(), "%.1f", Double.MAX_VALUE);
  }

  /**
   * {@code v} formatted, or n/a when it is not a number or outside {@code [0, max]} (nothing to
   * score).
   */
  private static String number(double v, String format, double max) {
    return Double.isFinite(v) && v >= 0 && v <= max ? String.format(Locale.ROOT, format, v) : "n/a";
  }
}
