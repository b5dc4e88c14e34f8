package io.spotnest.strategy.sim;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A run's restarted builds (distinct, scored part) by the cause of their first restart, and how
 * many of them were in a move at their host's notice, by kind of move. Measured in the run.
 *
 * @param causes builds per cause; they add up to the run's restarted builds
 * @param inMove of those, the builds in a move at the notice, per kind of move
 */
public record RestartBreakdown(
    Map<RestartCause, Integer> causes, Map<RestartCause.Move, Integer> inMove) {
  /** No restart. */
  public static final RestartBreakdown NONE = new RestartBreakdown(Map.of(), Map.of());

  public RestartBreakdown {
    causes = copy(causes, RestartCause.class);
    inMove = copy(inMove, RestartCause.Move.class);
  }

  private static <K extends Enum<K>> Map<K, Integer> copy(Map<K, Integer> m, Class<K> type) {
    EnumMap<K, Integer> out = new EnumMap<>(type);
    out.putAll(Objects.requireNonNull(m, "counts"));
    out.values().removeIf(n -> n == 0);
    if (out.values().stream().anyMatch(n -> n < 0)) {
      throw new IllegalArgumentException("negative count in " + m);
    }
    return Collections.unmodifiableMap(out);
  }

  /** Builds restarted for {@code cause}. */
  public int count(RestartCause cause) {
    return causes.getOrDefault(cause, 0);
  }

  /** Builds in a move of {@code kind} at their notice. */
  public int inMove(RestartCause.Move kind) {
    return inMove.getOrDefault(kind, 0);
  }

  /** All builds counted. */
  public int total() {
    return causes.values().stream().mapToInt(Integer::intValue).sum();
  }
}
