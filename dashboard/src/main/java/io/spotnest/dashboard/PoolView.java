package io.spotnest.dashboard;

import java.util.Objects;
import java.util.Set;

/**
 * One spot pool as the dashboard shows it: whether it takes launches, and if not, why and until
 * when. Unknown values are null (JSON null).
 *
 * @param pool instance type at zone, as in {@link PoolRisk#pool()}
 * @param state {@code open}, {@code closed} (no launch there before {@code untilEpochMs}, e.g. a
 *     launch failed for want of capacity) or {@code draining} (closed, and its hosts are being
 *     emptied: a burst of reclamations)
 * @param kind what closed it: a spot launch there that failed for want of capacity ({@code
 *     no-capacity}), because the offering does not exist ({@code unsupported}), because a quota or
 *     cap is used up ({@code quota}) or for another cause ({@code launch-failed}), or the
 *     strategy's burst drain ({@code burst-drain}); null when open or unknown
 * @param reason why it is closed or draining, as the source journaled it
 * @param sinceEpochMs when it was closed; null when open or unknown (a closure from an earlier run)
 * @param untilEpochMs when it takes launches again; null when open
 * @param drainByEpochMs while draining, when its agents are to have left its hosts
 * @param risk its latest reclamation probability, 0..1; null when not assessed
 */
public record PoolView(
    String pool,
    String zone,
    String state,
    String kind,
    String reason,
    Long sinceEpochMs,
    Long untilEpochMs,
    Long drainByEpochMs,
    Double risk) {
  /** The states a pool can be in. */
  public static final Set<String> STATES = Set.of("open", "closed", "draining");

  /** The kinds of closure. */
  public static final Set<String> KINDS =
      Set.of("launch-failed", "no-capacity", "unsupported", "quota", "burst-drain");

  public PoolView {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(zone, "zone");
    if (!STATES.contains(state)) {
      throw new IllegalArgumentException("state must be one of " + STATES + ", got " + state);
    }
    if (kind != null && (!KINDS.contains(kind) || state.equals("open"))) {
      throw new IllegalArgumentException(
          "kind must be null when open, else one of " + KINDS + ", got " + kind + " " + state);
    }
    if (risk != null) {
      Values.probability("risk", risk);
    }
  }

  /** An open pool with its latest risk (null when not assessed). */
  public static PoolView open(String pool, String zone, Double risk) {
    return new PoolView(pool, zone, "open", null, null, null, null, null, risk);
  }
}
