package io.spotnest.jenkins;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What Jenkins did with the builds of each agent SpotNest lost, as {@link BuildLogRelay} did it:
 * each build rescheduled (its queue item) or refused (why), or that no build ran on the agent. In
 * memory only, for the lost agents told since it was made (the controller's start), at most {@code
 * kept} of them (the oldest told are forgotten first); for any other loss it says plainly that the
 * outcome is not known, and why. Safe for the tick's thread and the page's request threads.
 */
public final class LostBuildOutcomes {
  /** How many lost agents' outcomes are kept by default. */
  public static final int KEPT = 1000;

  static final String NO_BUILD = "No build was running on it";
  static final String NOT_KNOWN_BEFORE_START =
      "Not known: lost before Jenkins last started (the log of the build on it, if any, says"
          + " whether Jenkins rescheduled it)";
  static final String NOT_KNOWN_YET = "Not known yet: SpotNest has not told Jenkins of this loss";

  private final Instant since;
  private final int kept;
  private final Clock clock;

  /** Per lost agent in the order told: when, and what became of each build on it. */
  private final Map<String, Told> byAgent = new LinkedHashMap<>();

  /** When the latest forgotten outcome was told; null while none was. */
  private Instant forgottenUpTo;

  private record Told(Instant at, List<BuildOutcome> builds) {}

  /**
   * @param clock when the outcomes are told (and, at construction, since when this memory knows
   *     them)
   * @param kept how many lost agents' outcomes to keep (at least 1)
   */
  public LostBuildOutcomes(Clock clock, int kept) {
    if (kept < 1) {
      throw new IllegalArgumentException("kept must be at least 1, got " + kept);
    }
    this.clock = clock;
    this.since = clock.instant();
    this.kept = kept;
  }

  /**
   * Remembers what became of the builds on {@code agent} when its loss was told: {@code builds}
   * empty when none ran on it. A loss told again adds only builds not told before.
   */
  public synchronized void told(String agent, List<BuildOutcome> builds) {
    Told before = byAgent.get(agent);
    if (before != null) {
      List<BuildOutcome> all = new ArrayList<>(before.builds());
      all.addAll(builds);
      byAgent.put(agent, new Told(before.at(), List.copyOf(all)));
      return;
    }
    byAgent.put(agent, new Told(clock.instant(), List.copyOf(builds)));
    for (Iterator<Told> oldest = byAgent.values().iterator(); byAgent.size() > kept; ) {
      forgottenUpTo = oldest.next().at();
      oldest.remove();
    }
  }

  /**
   * What Jenkins did about the loss of {@code agent}, journaled at {@code lostAtEpochMs} (null when
   * the journal has no time), as one line of text; or why that is not known.
   */
  public synchronized String describe(String agent, Long lostAtEpochMs) {
    Told told = byAgent.get(agent);
    if (told != null) {
      return told.builds().isEmpty()
          ? NO_BUILD
          : told.builds().stream().map(BuildOutcome::describe).collect(Collectors.joining("; "));
    }
    if (lostAtEpochMs == null || lostAtEpochMs < since.toEpochMilli()) {
      return NOT_KNOWN_BEFORE_START;
    }
    if (forgottenUpTo != null && lostAtEpochMs <= forgottenUpTo.toEpochMilli()) {
      return "Not known any more: only the last "
          + kept
          + " losses are remembered (the log of the build on it, if any, says whether Jenkins"
          + " rescheduled it)";
    }
    return NOT_KNOWN_YET;
  }

  /** How many lost agents' outcomes it keeps now. */
  synchronized int size() {
    return byAgent.size();
  }
}
