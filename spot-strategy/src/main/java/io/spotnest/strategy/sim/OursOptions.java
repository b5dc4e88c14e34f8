package io.spotnest.strategy.sim;

import java.util.Objects;

/**
 * Switches of our strategy's fleet mechanisms (docs/risk-model.md, "Warm spares and burst drain").
 *
 * @param warmSpares how ready on-demand destination hosts are kept for evacuations (always paid
 *     for)
 * @param burstDrain on the first notice in a pool, cordon and evacuate all our hosts of that pool
 *     (reclamations come in bursts) and place no new agent there for the quiet period
 */
public record OursOptions(SpareMode warmSpares, boolean burstDrain) {
  /** Hazard-sized spares and burst drain. */
  public static final OursOptions DEFAULTS = new OursOptions(SpareMode.HAZARD, true);

  /** The strategy without the mechanisms: no spare, the notice handled per host. */
  public static final OursOptions NONE = new OursOptions(SpareMode.OFF, false);

  public OursOptions {
    Objects.requireNonNull(warmSpares, "warmSpares");
  }

  /** How warm spares are sized. */
  public enum SpareMode {
    /** No spare: every evacuation destination is launched on demand (or found with room). */
    OFF,
    /**
     * Per host, room for the agents a notice could save, kept while the hazard makes it worth its
     * cost.
     */
    HAZARD,
    /**
     * Per host, room for the agents a notice could save, kept whenever the pool holds our agents.
     */
    ALWAYS
  }
}
