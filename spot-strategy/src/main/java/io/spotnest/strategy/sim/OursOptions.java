package io.spotnest.strategy.sim;

import io.spotnest.strategy.fleet.CopyMode;
import java.util.Objects;

/**
 * Switches of our strategy's fleet mechanisms (docs/risk-model.md, "Warm spares and burst drain").
 *
 * @param warmSpares how ready on-demand destination hosts are kept for evacuations (always paid
 *     for)
 * @param burstDrain on the first notice in a pool, cordon and evacuate all our hosts of that pool
 *     (reclamations come in bursts) and place no new agent there for the quiet period
 * @param standingCopies which agents on spot keep a standing copy on a backup host (issue 12 Part
 *     C)
 */
public record OursOptions(SpareMode warmSpares, boolean burstDrain, CopyMode standingCopies) {
  /** Hazard-sized spares, burst drain and standing copies where they pay. */
  public static final OursOptions DEFAULTS =
      new OursOptions(SpareMode.HAZARD, true, CopyMode.HAZARD);

  /** The strategy without the mechanisms: no spare, no copy, the notice handled per host. */
  public static final OursOptions NONE = new OursOptions(SpareMode.OFF, false, CopyMode.OFF);

  public OursOptions {
    Objects.requireNonNull(warmSpares, "warmSpares");
    Objects.requireNonNull(standingCopies, "standingCopies");
  }

  /** Spares and burst drain as given, standing copies where they pay. */
  public OursOptions(SpareMode warmSpares, boolean burstDrain) {
    this(warmSpares, burstDrain, CopyMode.HAZARD);
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
