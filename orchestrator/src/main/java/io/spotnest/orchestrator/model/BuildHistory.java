package io.spotnest.orchestrator.model;

import io.spotnest.strategy.fleet.BuildLengths;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The lengths of the builds that finished, per agent template (as the journal names it: a build
 * started on an agent that then went online again), and what they say of a running build's time
 * left ({@link BuildLengths}). A build that ended otherwise (its agent lost, retired or drained
 * while busy) has no length. Rebuilt by replaying the journal, so a restart keeps it.
 */
public final class BuildHistory {
  /** How many of a template's most recent builds count. */
  public static final int WINDOW = 500;

  private static final String NO_TEMPLATE = "";
  private final Map<String, String> templateOf = new HashMap<>();
  private final Map<String, BuildLengths> lengthsOf = new HashMap<>();
  private final BuildLengths none = new BuildLengths(1); // a template with no finished build

  void requested(String agentId, String template) {
    templateOf.put(agentId, template == null ? NO_TEMPLATE : template);
  }

  /** {@code requeued} runs the build of {@code lost}: same template. */
  void requeued(String lost, String requeued) {
    templateOf.put(requeued, templateOf.getOrDefault(lost, NO_TEMPLATE));
  }

  void finished(String agentId, Instant started, Instant ended) {
    Duration length = Duration.between(started, ended);
    if (!length.isNegative()) {
      lengthsOf.computeIfAbsent(template(agentId), t -> new BuildLengths(WINDOW)).add(length);
    }
  }

  void gone(String agentId) {
    templateOf.remove(agentId);
  }

  /**
   * The time left of the agent's build after {@code elapsed}, requested as {@code expected}: what
   * its template's finished builds say, or max(0, expected − elapsed) while none ran longer.
   */
  public Duration remaining(String agentId, Duration expected, Duration elapsed) {
    return lengthsOf.getOrDefault(template(agentId), none).remaining(expected, elapsed);
  }

  private String template(String agentId) {
    return templateOf.getOrDefault(agentId, NO_TEMPLATE);
  }
}
