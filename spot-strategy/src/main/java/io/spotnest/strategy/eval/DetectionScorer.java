package io.spotnest.strategy.eval;

import io.spotnest.strategy.data.MinuteTimeline;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Scores per-minute probabilities against a timeline's reclamations for a threshold and period. */
public final class DetectionScorer {
  private static final double NOTICE_MIN = 2.0;
  private final int horizonMin;

  public DetectionScorer(int horizonMin) {
    if (horizonMin <= 0) {
      throw new IllegalArgumentException("horizonMin must be positive, got " + horizonMin);
    }
    this.horizonMin = horizonMin;
  }

  /** Accumulates several pools' results into one {@link DetectionMetrics}. */
  public DetectionMetrics score(
      List<double[]> probabilities,
      List<MinuteTimeline> timelines,
      double fromFraction,
      double toFraction,
      double threshold) {
    int events = 0;
    int detected = 0;
    long scored = 0;
    long flagged = 0;
    long tp = 0;
    long positives = 0;
    List<Double> leads = new ArrayList<>();
    List<Double> detectedLeads = new ArrayList<>();
    for (int k = 0; k < timelines.size(); k++) {
      MinuteTimeline tl = timelines.get(k);
      double[] p = probabilities.get(k);
      int from = (int) (tl.minutes() * fromFraction);
      int to = (int) (tl.minutes() * toFraction);
      int next = 0;
      for (int m = from; m < to; m++) {
        if (Double.isNaN(p[m])) {
          continue;
        }
        while (next < tl.reclamationCount() && tl.reclamation(next) <= m) {
          next++;
        }
        boolean positive = next < tl.reclamationCount() && tl.reclamation(next) - m <= horizonMin;
        boolean flag = p[m] >= threshold;
        scored++;
        positives += positive ? 1 : 0;
        flagged += flag ? 1 : 0;
        tp += flag && positive ? 1 : 0;
      }
      for (int i = 0; i < tl.reclamationCount(); i++) {
        double t = tl.reclamation(i);
        if (t < from || t >= to) {
          continue;
        }
        events++;
        int last = (int) Math.ceil(t - NOTICE_MIN) - 1;
        if (last >= 0 && last < p.length && !Double.isNaN(p[last]) && p[last] >= threshold) {
          int first = last;
          while (first - 1 >= 0 && !Double.isNaN(p[first - 1]) && p[first - 1] >= threshold) {
            first--;
          }
          double lead = t - first;
          detected++;
          leads.add(lead);
          detectedLeads.add(lead);
        } else {
          leads.add(NOTICE_MIN);
        }
      }
    }
    return new DetectionMetrics(
        threshold,
        events,
        detected,
        scored,
        flagged,
        tp,
        positives,
        median(leads),
        median(detectedLeads));
  }

  private static double median(List<Double> xs) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
