package io.spotnest.jenkins;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.PeriodicWork;
import io.spotnest.jenkins.port.SpotNestController;
import java.time.Clock;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The risk loop inside Jenkins: every {@value #PERIOD_MS} ms it tells the orchestrator what Jenkins
 * sees of each agent (connected, busy), runs one tick, and relays the moves and losses to the
 * agents' logs and to the logs of the builds running on them. While the orchestrator cannot start
 * (e.g. no fleet wiring installed), or a tick fails (e.g. its journal cannot be written), it says
 * why once ({@link LoopTrouble}) and tries again next time.
 */
@Extension
public final class SpotNestTick extends PeriodicWork {
  private static final Logger LOGGER = Logger.getLogger(SpotNestTick.class.getName());
  static final long PERIOD_MS = 10_000;
  private static final String TICK_FAILED =
      "SpotNest risk loop: a tick failed; it is tried again every 10 s: ";

  private final Supplier<SpotNestBackend> backend;
  private final AgentActivity activity;
  private final LostBuildOutcomes outcomes;
  private final BuildLogRelay relay;
  private final LoopTrouble trouble = new LoopTrouble(LOGGER);
  private SpotNestController subscribed;

  public SpotNestTick() {
    this(
        SpotNestBackend::installed,
        AgentActivity.jenkins(),
        AgentLogs.jenkins(),
        new JenkinsAgentBuilds(() -> ExtensionList.lookupSingleton(BuildConsoles.class)));
  }

  SpotNestTick(
      Supplier<SpotNestBackend> backend,
      AgentActivity activity,
      AgentLogs logs,
      AgentBuilds builds) {
    this(
        backend,
        activity,
        logs,
        builds,
        new LostBuildOutcomes(Clock.systemUTC(), LostBuildOutcomes.KEPT));
  }

  /**
   * One relay for the task's lifetime, so a loss told again after the orchestrator restarts is
   * acted on once, and its outcomes (what Jenkins did with each lost agent's builds) last as long.
   */
  SpotNestTick(
      Supplier<SpotNestBackend> backend,
      AgentActivity activity,
      AgentLogs logs,
      AgentBuilds builds,
      LostBuildOutcomes outcomes) {
    this.backend = backend;
    this.activity = activity;
    this.outcomes = outcomes;
    this.relay = new BuildLogRelay(logs, builds, outcomes);
  }

  /** What Jenkins did with the builds of each agent lost since the controller started. */
  public LostBuildOutcomes outcomes() {
    return outcomes;
  }

  @Override
  public long getRecurrencePeriod() {
    return PERIOD_MS;
  }

  @Override
  public long getInitialDelay() {
    return PERIOD_MS;
  }

  @Override
  protected synchronized void doRun() {
    SpotNestController controller;
    try {
      controller = backend.get().controller();
    } catch (IllegalStateException e) {
      trouble.told("SpotNest risk loop not running: ", e);
      return;
    }
    if (controller != subscribed) {
      controller.subscribe(relay);
      subscribed = controller;
    }
    try {
      for (AgentActivity.Seen seen : activity.agents()) {
        controller.agentActivity(seen.agentName(), seen.connected(), seen.busy());
      }
      controller.tick();
    } catch (IllegalStateException e) {
      trouble.told(TICK_FAILED, e);
      return;
    } catch (RuntimeException e) {
      trouble.unexpected(TICK_FAILED, e);
      return;
    }
    trouble.cleared();
  }
}
