package io.spotnest.jenkins.orchestrator;

import io.spotnest.dashboard.DashboardJson;
import io.spotnest.dashboard.orchestrator.FleetViewSource;
import io.spotnest.jenkins.port.AgentEvent;
import io.spotnest.jenkins.port.AgentLaunchRequest;
import io.spotnest.jenkins.port.AgentPhase;
import io.spotnest.jenkins.port.AgentPlacement;
import io.spotnest.jenkins.port.AgentStatus;
import io.spotnest.jenkins.port.HostStatus;
import io.spotnest.jenkins.port.MigrationTrigger;
import io.spotnest.jenkins.port.SpotNestController;
import io.spotnest.jenkins.port.StandingCopyWish;
import io.spotnest.orchestrator.facade.AgentOrder;
import io.spotnest.orchestrator.facade.FleetRuntime;
import io.spotnest.orchestrator.journal.JournalIoException;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.AgentBootSpec;
import io.spotnest.orchestrator.model.MarketPolicy;
import io.spotnest.orchestrator.view.AgentSnapshot;
import io.spotnest.orchestrator.view.FleetSnapshot;
import io.spotnest.orchestrator.view.HostSnapshot;
import io.spotnest.orchestrator.view.LostRecord;
import io.spotnest.orchestrator.view.MoveRecord;
import io.spotnest.strategy.fleet.CopyRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The plugin's port bound to the orchestrator running in the controller's JVM. Requests and
 * operator actions go to the {@link FleetRuntime} (journaled there); reads come from its immutable
 * {@link FleetSnapshot}; after each tick the moves and losses not yet told are delivered to the
 * subscribers, and agents waiting for a host learn it.
 */
public final class OrchestratorController implements SpotNestController {
  private static final Logger LOGGER = Logger.getLogger(OrchestratorController.class.getName());
  static final String OPERATOR = "operator: ";

  private final FleetRuntime fleet;
  private final AgentSecrets secrets;
  private final List<String> images;
  private final double riskThreshold;
  private final Duration expectedBuild;
  private final FleetViewSource dashboard;
  private final DashboardJson json = new DashboardJson();
  private final Map<String, CompletableFuture<AgentPlacement>> waiting = new ConcurrentHashMap<>();
  private final Set<String> retireLater = ConcurrentHashMap.newKeySet();
  private final List<Consumer<AgentEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Set<String> toldMoves = new HashSet<>();
  private final Set<String> toldLosses = new HashSet<>();

  /**
   * @param secrets where the orchestrator gets an agent's secret at boot (the launch's secret is
   *     handed to it here, never to the journal)
   * @param images the agent images templates may name
   * @param riskThreshold the spot-risk cap a risk-driven move is told against
   * @param expectedBuild the build length the orchestrator assumes for a new agent
   */
  public OrchestratorController(
      FleetRuntime fleet,
      AgentSecrets secrets,
      List<String> images,
      double riskThreshold,
      Duration expectedBuild) {
    this.fleet = fleet;
    this.secrets = secrets;
    this.images = List.copyOf(images);
    this.riskThreshold = riskThreshold;
    this.expectedBuild = expectedBuild;
    this.dashboard = new FleetViewSource(fleet.view());
    FleetSnapshot before = fleet.replayed();
    before.moves().stream()
        .filter(m -> m.outcome() != MoveRecord.Outcome.IN_FLIGHT)
        .forEach(m -> toldMoves.add(m.moveId()));
    before.lost().forEach(l -> toldLosses.add(l.agentId()));
  }

  @Override
  public CompletableFuture<AgentPlacement> startAgent(AgentLaunchRequest request) {
    try {
      if (request.secret() != null) {
        secrets.remember(request.agentName(), request.secret());
      }
      journaling(
          () ->
              fleet.requestAgent(
                  new AgentOrder(
                      request.agentName(),
                      template(request),
                      request.size().memoryMb(),
                      MarketPolicy.valueOf(request.marketPolicy().name()),
                      expectedBuild,
                      bootSpec(request),
                      copyRequest(request.standingCopy()))));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<AgentPlacement> placed =
        waiting.computeIfAbsent(request.agentName(), n -> new CompletableFuture<>());
    settle(fleet.view().snapshot());
    return placed;
  }

  /**
   * The orchestrator's request for a template's choice: always asks, letting the fleet decide
   * leaves it to the fleet's copy mode ({@code AT_RISK} may copy), never refuses.
   */
  static CopyRequest copyRequest(StandingCopyWish wish) {
    return switch (wish) {
      case ALWAYS -> CopyRequest.ASKED;
      case FLEET -> CopyRequest.UNSET;
      case NEVER -> CopyRequest.REFUSED;
    };
  }

  /**
   * What the agent's VM boots with; its secret is referred to by the agent's name (Jenkins knows
   * the secret by it), never carried.
   */
  public static AgentBootSpec bootSpec(AgentLaunchRequest request) {
    return new AgentBootSpec(
        request.agentName(),
        request.image(),
        request.size().vcpus(),
        request.size().memoryMb(),
        request.size().diskGb(),
        request.controllerUrl(),
        request.initScript(),
        request.agentName());
  }

  /** The template as the orchestrator records it: cloud and sorted labels. */
  static String template(AgentLaunchRequest request) {
    return request.cloudName() + "/" + String.join(" ", new TreeSet<>(request.labels()));
  }

  @Override
  public void terminateAgent(String agentName) {
    secrets.forget(agentName);
    Optional<AgentSnapshot> agent = agent(agentName);
    if (agent.isEmpty()) {
      return;
    }
    switch (agent.get().phase()) {
      case ONLINE, BUSY -> journaling(() -> fleet.retireAgent(agentName));
      case REQUESTED, PLACED, BOOTING -> journaling(() -> fleet.cancelAgent(agentName));
      default -> retireLater.add(agentName);
    }
  }

  @Override
  public List<AgentStatus> agents() {
    List<AgentStatus> out = new ArrayList<>();
    for (AgentSnapshot a : fleet.view().snapshot().agents()) {
      out.add(new AgentStatus(a.id(), cloudOf(a.template()), a.hostId(), phase(a)));
    }
    return out;
  }

  @Override
  public List<HostStatus> hosts() {
    List<HostStatus> out = new ArrayList<>();
    for (HostSnapshot h : fleet.view().snapshot().hosts()) {
      out.add(
          new HostStatus(
              h.id(),
              h.market().name(),
              h.risk(),
              h.agents().size(),
              h.phase() == HostPhase.DRAINING));
    }
    return out;
  }

  @Override
  public List<String> images() {
    return images;
  }

  @Override
  public void migrateNow(String agentName) {
    journaling(() -> fleet.migrateNow(agentName));
  }

  @Override
  public void drainHost(String hostId) {
    journaling(() -> fleet.drainHost(hostId));
  }

  @Override
  public AutoCloseable subscribe(Consumer<AgentEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public void agentActivity(String agentName, boolean connected, boolean busy) {
    journaling(() -> tellActivity(agentName, connected, busy));
  }

  private void tellActivity(String agentName, boolean connected, boolean busy) {
    Optional<AgentSnapshot> agent = agent(agentName);
    if (agent.isEmpty()) {
      return;
    }
    switch (agent.get().phase()) {
      case BOOTING -> {
        if (connected) {
          fleet.agentOnline(agentName);
          if (busy) {
            fleet.buildStarted(agentName);
          }
        }
      }
      case ONLINE -> {
        if (busy) {
          fleet.buildStarted(agentName);
        }
      }
      case BUSY -> {
        if (!busy) {
          fleet.buildFinished(agentName);
        }
      }
      default -> {
        // requested, placed, migrating, draining: the orchestrator's own steps
      }
    }
  }

  @Override
  public synchronized void tick() {
    journaling(this::tickAndTell);
  }

  private void tickAndTell() {
    fleet.tick();
    for (String name : List.copyOf(retireLater)) {
      Optional<AgentSnapshot> a = agent(name);
      if (a.isEmpty()) {
        retireLater.remove(name);
      } else if (a.get().phase() == io.spotnest.orchestrator.lifecycle.AgentPhase.ONLINE
          || a.get().phase() == io.spotnest.orchestrator.lifecycle.AgentPhase.BUSY) {
        fleet.retireAgent(name);
        retireLater.remove(name);
      }
    }
    FleetSnapshot s = fleet.view().snapshot();
    settle(s);
    for (MoveRecord m : s.moves()) {
      if (m.outcome() == MoveRecord.Outcome.MOVED && toldMoves.add(m.moveId())) {
        tell(
            new AgentEvent.Migrated(
                m.agentId(), m.from(), m.to(), trigger(m), orZero(m.took()), orZero(m.paused())));
      }
    }
    for (LostRecord l : s.lost()) {
      if (toldLosses.add(l.agentId())) {
        withdraw(l.requeuedAs());
        tell(new AgentEvent.Lost(l.agentId(), l.hostId(), l.reason()));
      }
    }
  }

  @Override
  public Optional<byte[]> dashboardJson(String endpoint) {
    return json.render(endpoint, dashboard.snapshot());
  }

  /** Why a move happened, as the build log tells it. */
  MigrationTrigger trigger(MoveRecord m) {
    String reason = m.reason() == null ? "unknown reason" : m.reason();
    if (reason.startsWith(OPERATOR)) {
      return new MigrationTrigger.Operator(reason.substring(OPERATOR.length()));
    }
    if (m.forced()) {
      return new MigrationTrigger.Notice(reason);
    }
    return new MigrationTrigger.Risk(m.sourceRisk() == null ? 0 : m.sourceRisk(), riskThreshold);
  }

  /**
   * Jenkins reschedules a lost build itself (and provisions a node for it), so the agent the
   * orchestrator requeued in its place has no Jenkins node: it is withdrawn before it leaves a VM
   * nobody uses.
   */
  private void withdraw(String requeued) {
    if (requeued == null) {
      return;
    }
    Optional<AgentSnapshot> a = agent(requeued);
    if (a.isPresent()) {
      switch (a.get().phase()) {
        case REQUESTED, PLACED, BOOTING -> fleet.cancelAgent(requeued);
        default -> retireLater.add(requeued);
      }
    }
  }

  private void settle(FleetSnapshot s) {
    for (Map.Entry<String, CompletableFuture<AgentPlacement>> e : List.copyOf(waiting.entrySet())) {
      Optional<AgentSnapshot> a =
          s.agents().stream().filter(x -> x.id().equals(e.getKey())).findFirst();
      if (a.isEmpty()) {
        e.getValue()
            .completeExceptionally(
                new IllegalStateException("agent " + e.getKey() + " is gone before it was placed"));
        waiting.remove(e.getKey());
      } else if (a.get().hostId() != null
          && a.get().phase() != io.spotnest.orchestrator.lifecycle.AgentPhase.PLACED) {
        e.getValue().complete(new AgentPlacement(e.getKey(), a.get().hostId()));
        waiting.remove(e.getKey());
      }
    }
  }

  /**
   * Runs a command that journals; a journal that cannot be written is an {@link
   * IllegalStateException} whose message is the whole story, as the port says for a fleet that
   * cannot act now (the orchestrator acts only on what it journaled: nothing past the record that
   * failed was done).
   */
  private static void journaling(Runnable command) {
    try {
      command.run();
    } catch (JournalIoException e) {
      throw new IllegalStateException(
          "SpotNest: the orchestrator cannot write its journal: "
              + e.getMessage()
              + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()),
          e);
    }
  }

  private void tell(AgentEvent event) {
    for (Consumer<AgentEvent> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        LOGGER.log(Level.WARNING, "a SpotNest event listener failed on " + event.agentName(), e);
      }
    }
  }

  private Optional<AgentSnapshot> agent(String name) {
    return fleet.view().snapshot().agents().stream().filter(a -> a.id().equals(name)).findFirst();
  }

  private static String cloudOf(String template) {
    if (template == null) {
      return "";
    }
    int slash = template.indexOf('/');
    return slash < 0 ? template : template.substring(0, slash);
  }

  private static AgentPhase phase(AgentSnapshot a) {
    return switch (a.phase()) {
      case REQUESTED, PLACED, BOOTING -> AgentPhase.STARTING;
      case ONLINE, BUSY -> AgentPhase.RUNNING;
      case MIGRATING -> AgentPhase.MIGRATING;
      case DRAINING, GONE -> AgentPhase.TERMINATED;
    };
  }

  private static Duration orZero(Duration d) {
    return d == null ? Duration.ZERO : d;
  }
}
