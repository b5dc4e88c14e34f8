package io.spotnest.migration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The engine's choice of tuning for one move: pure, from the plan inputs (with the time left) and
 * what the caller permits ({@link MigrationSettings#autoConverge()} permits auto-converge, {@link
 * MigrationSettings#postCopy()} permits post-copy). The least intrusive tuning that completes in
 * time wins: pre-copy (the guest is untouched), then auto-converge (the guest is slowed, the source
 * keeps the authoritative copy), then post-copy (a source failure after the switch loses the VM).
 * Post-copy switches after the first pass, the earliest moment QEMU accepts: a pre-copy that does
 * not converge gains nothing from more passes. The move is told to switch as soon as QEMU reports
 * its second pass, not at the planned time: the plan's first pass ends after the link's calibrated
 * set-up, which holds the finish of a move as well as its start, and a switch held back that long
 * re-sends the working set in pre-copy only for post-copy to pull it once more (3 s of a 15 s move
 * on the lab). When post-copy is allowed the move also runs with it as a fallback (the caller's
 * switch time as an upper bound; {@link MigrationWatch} switches when the remaining memory no
 * longer fits the remaining time).
 *
 * @param tuning the chosen tuning
 * @param settings the settings the move runs with
 * @param plan the chosen tuning's plan
 * @param switchAt for post-copy, when the plan expects the switch (time from the start of the copy;
 *     the move itself switches as soon as QEMU accepts)
 * @param fits whether the chosen tuning completes within the time left; when false the choice is
 *     the most capable permitted tuning (for a caller that tries anyway) and {@link #reason()} says
 *     why nothing fits
 * @param reason why nothing fits, tuning by tuning (empty when it fits)
 */
public record TuningChoice(
    Tuning tuning,
    MigrationSettings settings,
    MigrationPlan plan,
    Optional<Duration> switchAt,
    boolean fits,
    String reason) {

  /** Chooses; see the class comment. */
  public static TuningChoice choose(
      MigrationPlanner planner, MigrationInputs inputs, MigrationSettings permitted) {
    PostCopyPolicy policy = permitted.postCopy();
    List<String> misses = new ArrayList<>();

    MigrationSettings preRun = permitted.withAutoConverge(false);
    MigrationPlan pre = planner.plan(inputs, preRun.withPostCopy(PostCopyPolicy.never()));
    if (pre.feasible()) {
      return new TuningChoice(Tuning.PRE_COPY, preRun, pre, Optional.empty(), true, "");
    }
    misses.add("pre-copy: " + pre.reason());

    MigrationSettings acRun = permitted.withAutoConverge(true);
    MigrationPlan ac = null;
    if (permitted.autoConverge()) {
      ac = planner.plan(inputs, acRun.withPostCopy(PostCopyPolicy.never()));
      if (ac.feasible()) {
        return new TuningChoice(Tuning.AUTO_CONVERGE, acRun, ac, Optional.empty(), true, "");
      }
      misses.add("auto-converge: " + ac.reason());
    } else {
      misses.add("auto-converge: not permitted by the caller's settings");
    }

    if (policy.allowed()) {
      Duration firstPass = planner.firstPass(inputs, preRun);
      MigrationSettings pcRun = preRun.withPostCopy(PostCopyPolicy.after(Duration.ZERO));
      MigrationPlan pc = planner.plan(inputs, pcRun);
      if (pc.feasible()) {
        return new TuningChoice(Tuning.POST_COPY, pcRun, pc, Optional.of(firstPass), true, "");
      }
      misses.add(
          "post-copy: "
              + pc.reason()
              + " (switching after the first pass, "
              + firstPass.toMillis()
              + " ms)");
      return new TuningChoice(
          Tuning.POST_COPY, pcRun, pc, Optional.of(firstPass), false, String.join("; ", misses));
    }
    misses.add("post-copy: not allowed by the caller's PostCopyPolicy");
    String why = String.join("; ", misses);
    return ac != null
        ? new TuningChoice(Tuning.AUTO_CONVERGE, acRun, ac, Optional.empty(), false, why)
        : new TuningChoice(Tuning.PRE_COPY, preRun, pre, Optional.empty(), false, why);
  }

  @Override
  public String toString() {
    return tuning.label()
        + switchAt.map(d -> " (switch at " + d.toMillis() + " ms)").orElse("")
        + (fits ? "" : ", does not fit: " + reason)
        + "; "
        + plan;
  }
}
