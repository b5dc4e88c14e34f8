package io.spotnest.jenkins;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.model.Node;
import hudson.slaves.Cloud.CloudState;
import hudson.slaves.NodeProvisioner.PlannedNode;
import io.spotnest.jenkins.orchestrator.FleetConfigException;
import io.spotnest.jenkins.orchestrator.FleetWiring;
import io.spotnest.jenkins.orchestrator.OrchestratorBackend;
import io.spotnest.jenkins.port.AgentEvent;
import io.spotnest.jenkins.port.MigrationTrigger;
import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.journal.FileJournal;
import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.journal.JournalRecord.MoveStarted;
import io.spotnest.orchestrator.journal.JournalRecord.OperatorAction;
import io.spotnest.orchestrator.journal.JournalRecord.OperatorRequested;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.testing.FakeWorld;
import io.spotnest.orchestrator.testing.Rig;
import io.spotnest.orchestrator.tick.FleetConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin bound to a real orchestrator (journal under a temporary JENKINS_HOME) whose ports are
 * the orchestrator's in-memory fakes: what Jenkins does reaches the orchestrator's journal, and
 * what the orchestrator does reaches the agents' logs.
 */
class OrchestratorBindingTest {
  @TempDir Path home;

  private Rig rig;
  private FileJournal seed;
  private OrchestratorBackend backend;
  private final List<String[]> logged = new ArrayList<>();
  private final List<AgentActivity.Seen> seen = new ArrayList<>();
  private final java.util.Map<String, List<AgentBuild>> running = new java.util.HashMap<>();
  private SpotNestTick tick;

  @BeforeEach
  void seedTheJournal() {
    Path file = home.resolve("spotnest/journal.jsonl");
    file.getParent().toFile().mkdirs();
    seed = FileJournal.open(file);
    rig = new Rig(seed, new FakeWorld());
  }

  @AfterEach
  void checkTheWorld() {
    assertEquals(List.of(), rig.world.violations(), "every action announced in the journal first");
  }

  /** The fleet of the rig's world and strategy. */
  private FleetWiring wiring() {
    return new FleetWiring() {
      @Override
      public Orchestrator.Ports ports() {
        return new Orchestrator.Ports(rig.world, rig.world, rig.world, rig.world, rig.strategy);
      }

      @Override
      public FleetConfig config() {
        return new FleetConfig(
            Rig.OFFERS, rig.limits, 0, 0.05, Duration.ofMinutes(30), Duration.ofMinutes(5));
      }
    };
  }

  /** Starts the orchestrator inside "Jenkins" over the seeded journal. */
  private void startJenkins() {
    seed.close();
    FleetWiring wiring = wiring();
    backend = new OrchestratorBackend(() -> home, () -> wiring, rig.clock, rig.ids());
    tick =
        new SpotNestTick(
            () -> backend,
            () -> List.copyOf(seen),
            (agent, line) -> logged.add(new String[] {agent, line}),
            agent -> running.getOrDefault(agent, List.of()),
            new LostBuildOutcomes(rig.clock, LostBuildOutcomes.KEPT));
  }

  private <T> List<T> journaled(Class<T> type) {
    return seed.replay().stream().filter(type::isInstance).map(type::cast).toList();
  }

  private List<String> linesOf(String agent) {
    return logged.stream().filter(l -> l[0].equals(agent)).map(l -> l[1]).toList();
  }

  @Test
  void without_fleet_wiring_the_periodic_task_waits_instead_of_failing() {
    seed.close();
    OrchestratorBackend unwired =
        new OrchestratorBackend(
            () -> home,
            () -> {
              throw new IllegalStateException("SpotNest: no fleet wiring is installed");
            },
            rig.clock,
            rig.ids());
    SpotNestTick idle =
        new SpotNestTick(
            () -> unwired,
            List::of,
            (agent, line) -> logged.add(new String[] {agent, line}),
            agent -> List.of());
    idle.doRun();
    idle.doRun();
    assertTrue(logged.isEmpty());
    assertThrows(IllegalStateException.class, unwired::controller);
  }

  /**
   * A journal the orchestrator cannot resume from (here a line that is no record) is one line
   * naming it: the risk loop waits and the admin page says why, as for bad configuration, instead
   * of a stack trace every tick; and no try leaves the journal open.
   */
  @Test
  void an_unreadable_journal_is_one_line_and_left_closed() throws Exception {
    Path journal = home.resolve("spotnest/journal.jsonl");
    startJenkins();
    Files.writeString(journal, "not a journal record\n", StandardCharsets.UTF_8);

    tick.doRun();
    tick.doRun();
    FleetConfigException e = assertThrows(FleetConfigException.class, backend::controller);
    assertTrue(e.getMessage().contains(journal + " line 1 is unreadable"), e.getMessage());
    assertEquals(
        e.getMessage(), new SpotNestManagementLink(() -> backend, permission -> {}).getProblem());
    assertEquals(0, openDescriptorsOf(journal), "each try closes the journal it opened");
  }

  /** How many of this JVM's open file descriptors are {@code file} (Linux's /proc). */
  private static long openDescriptorsOf(Path file) throws IOException {
    Path fds = Path.of("/proc/self/fd");
    assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
    Path real = file.toRealPath();
    try (Stream<Path> all = Files.list(fds)) {
      return all.filter(
              fd -> {
                try {
                  return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException | UnsupportedOperationException gone) {
                  return false;
                }
              })
          .count();
    }
  }

  @Test
  void the_journal_lives_under_jenkins_home() {
    startJenkins();
    assertEquals(home.resolve("spotnest/journal.jsonl"), backend.journalFile());
  }

  @Test
  void provisioning_through_the_plugin_journals_an_agent_request_and_starts_its_vm()
      throws Exception {
    rig.host(OD, Market.ON_DEMAND);
    startJenkins();
    SpotNestTemplate template = new SpotNestTemplate("linux");
    template.setMemoryMb(2048);
    SpotNestCloud cloud =
        new SpotNestCloud(
            "nest",
            backend,
            new AgentCensus() {
              @Override
              public int agents(String cloudName) {
                return 0;
              }

              @Override
              public int agents(String cloudName, String templateKey) {
                return 0;
              }
            },
            () -> "http://127.0.0.1:8080/");
    cloud.setTemplates(List.of(template));

    List<PlannedNode> planned =
        new ArrayList<>(cloud.provision(new CloudState(new TestLabel("linux"), 0), 1));
    assertEquals(1, planned.size());
    Node node = planned.get(0).future.get(5, TimeUnit.SECONDS);
    SpotNestAgent agent = (SpotNestAgent) node;
    SpotNestComputer computer =
        new SpotNestComputer(agent) {
          @Override
          public String getJnlpMac() {
            return "0123456789abcdef0123456789abcdef";
          }
        };
    Listeners log = Listeners.capture();
    CompletableFuture<Void> launch =
        CompletableFuture.runAsync(
            () -> ((SpotNestLauncher) agent.getLauncher()).launch(computer, log));
    for (int i = 0; i < 50 && journaled(AgentRequested.class).isEmpty(); i++) {
      Thread.sleep(20);
    }
    tick.doRun();
    launch.get(10, TimeUnit.SECONDS);

    AgentRequested request = journaled(AgentRequested.class).get(0);
    assertEquals(agent.getNodeName(), request.agentId());
    assertEquals(2048, request.ramMiB());
    assertEquals("nest/linux", request.template());
    assertEquals("PREFER_SPOT", request.marketPolicy());
    String host = rig.world.copies().get(agent.getNodeName()).get(0);
    assertTrue(log.text().contains("runs on host " + host), log.text());
    assertFalse(log.text().contains("0123456789abcdef0123456789abcdef"));

    seen.add(new AgentActivity.Seen(agent.getNodeName(), true, true));
    tick.doRun();
    List<AgentPhase> steps =
        journaled(AgentPhaseChanged.class).stream()
            .filter(c -> c.agentId().equals(agent.getNodeName()))
            .map(AgentPhaseChanged::phase)
            .toList();
    assertEquals(
        List.of(AgentPhase.BOOTING, AgentPhase.ONLINE, AgentPhase.BUSY),
        steps,
        "what Jenkins sees of the agent is told to the orchestrator");
  }

  @Test
  void a_move_in_the_orchestrator_is_told_in_the_agents_log() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String agent = rig.agent(spot, 2048, true);
    startJenkins();
    tick.doRun();
    rig.world.event(
        new FleetEvent.Notice(
            "sqs-1", spot, "sqs", rig.clock.instant(), rig.clock.instant().plusSeconds(120)));
    tick.doRun();
    rig.world.completeMoves(Duration.ofMillis(7_250), Duration.ofMillis(143));
    tick.doRun();

    assertEquals(
        List.of(
            BuildLogMessages.migrated(
                new AgentEvent.Migrated(
                    agent,
                    spot,
                    od,
                    new MigrationTrigger.Notice("interruption notice"),
                    Duration.ofMillis(7_250),
                    Duration.ofMillis(143)))),
        linesOf(agent));
    tick.doRun();
    assertEquals(1, linesOf(agent).size(), "told once");
  }

  @Test
  void a_lost_host_is_told_with_the_vanished_host() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String agent = rig.agent(spot, 2048, true);
    startJenkins();
    tick.doRun();
    rig.world.vanish(spot);
    tick.doRun();

    List<String> lines = linesOf(agent);
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(
        lines
            .get(0)
            .startsWith(
                BuildLogMessages.PREFIX
                    + "Agent "
                    + agent
                    + " on host "
                    + spot
                    + " was lost: host "
                    + spot
                    + " vanished ("),
        lines.get(0));
  }

  /**
   * A VM that fails to boot is a lost agent too, on a host that is still there: its log says the
   * boot failed, naming the host, not that the host vanished.
   */
  @Test
  void a_failed_boot_is_told_as_a_failed_boot_not_a_vanished_host() {
    String od = rig.host(OD, Market.ON_DEMAND);
    startJenkins();
    backend
        .controller()
        .startAgent(
            new io.spotnest.jenkins.port.AgentLaunchRequest(
                "nest-1",
                "nest",
                java.util.Set.of("linux"),
                new io.spotnest.jenkins.port.AgentSize(2, 1024, 20),
                "spotnest-agent",
                io.spotnest.jenkins.port.MarketPolicy.PREFER_SPOT,
                io.spotnest.jenkins.port.StandingCopyWish.NEVER,
                "/home/jenkins/agent",
                "",
                "http://127.0.0.1:8080/",
                new io.spotnest.jenkins.port.AgentSecret("s3cr3t")));
    rig.world.bootsTimeOutOn(od, true); // the VM starts, the call times out
    tick.doRun();

    assertEquals(
        List.of(
            BuildLogMessages.PREFIX
                + "Agent nest-1 on host "
                + od
                + " was lost: boot on "
                + od
                + " failed: boot of nest-1 on "
                + od
                + " timed out."),
        linesOf("nest-1"));
  }

  @Test
  void a_move_in_the_orchestrator_is_told_in_the_console_of_the_build_on_the_agent() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String agent = rig.agent(spot, 2048, true);
    FakeAgentBuild build = new FakeAgentBuild("app#7");
    running.put(agent, List.of(build));
    startJenkins();
    tick.doRun();
    rig.world.event(
        new FleetEvent.Notice(
            "sqs-1", spot, "sqs", rig.clock.instant(), rig.clock.instant().plusSeconds(120)));
    tick.doRun();
    rig.world.completeMoves(Duration.ofMillis(7_250), Duration.ofMillis(143));
    tick.doRun();
    tick.doRun();

    assertEquals(
        linesOf(agent),
        build.console,
        "the agent's log and the build's console say the same, once");
    assertEquals(List.of("println"), build.steps);
  }

  @Test
  void a_vanished_host_reschedules_the_build_on_its_agent_once_with_its_parameters() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String agent = rig.agent(spot, 2048, true);
    FakeAgentBuild build = new FakeAgentBuild("app#7", new FakeAgentBuild.Param("BRANCH", "main"));
    running.put(agent, List.of(build));
    startJenkins();
    tick.doRun();
    rig.world.vanish(spot);
    tick.doRun();
    tick.doRun();
    tick.doRun();

    assertEquals(List.of("reschedule", "println", "abort"), build.steps);
    assertTrue(
        build.console.get(0).contains("on host " + spot + ": host " + spot + " vanished"),
        build.console.get(0));
    hudson.model.CauseAction cause = (hudson.model.CauseAction) build.scheduled.get(0).get(0);
    assertEquals(spot, ((SpotNestRescheduleCause) cause.getCauses().get(0)).getVanishedHost());
    assertEquals(
        build.parameters,
        ((hudson.model.ParametersAction) build.scheduled.get(0).get(1)).getParameters());
  }

  @Test
  void jenkins_reschedules_a_lost_build_itself_so_the_orchestrators_requeued_agent_is_withdrawn() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String agent = rig.agent(spot, 2048, true);
    startJenkins();
    rig.world.vanish(spot);
    tick.doRun();
    tick.doRun();

    String requeued = journaled(JournalRecord.AgentLost.class).get(0).requeuedAs();
    assertTrue(
        journaled(AgentPhaseChanged.class).stream()
            .anyMatch(c -> c.agentId().equals(requeued) && c.phase() == AgentPhase.GONE),
        "withdrawn");
    assertTrue(
        backend.controller().agents().stream().noneMatch(a -> a.agentName().equals(requeued)));
    assertTrue(linesOf(agent).get(0).contains(spot));
    backend.close(); // the removal runs off the tick; closing lets one that is due finish
    assertFalse(
        rig.world.copies().containsKey(requeued),
        "no VM left for an agent Jenkins never asked for");
  }

  @Test
  void terminating_an_agent_that_never_connected_removes_its_vm() throws Exception {
    rig.host(OD, Market.ON_DEMAND);
    startJenkins();
    backend
        .controller()
        .startAgent(
            new io.spotnest.jenkins.port.AgentLaunchRequest(
                "nest-1",
                "nest",
                java.util.Set.of("linux"),
                new io.spotnest.jenkins.port.AgentSize(2, 1024, 20),
                "spotnest-agent",
                io.spotnest.jenkins.port.MarketPolicy.PREFER_SPOT,
                io.spotnest.jenkins.port.StandingCopyWish.NEVER,
                "/home/jenkins/agent",
                "",
                "http://127.0.0.1:8080/",
                new io.spotnest.jenkins.port.AgentSecret("s3cr3t")));
    tick.doRun();
    assertTrue(rig.world.copies().containsKey("nest-1"));

    backend.controller().terminateAgent("nest-1");

    assertTrue(backend.controller().agents().isEmpty());
    backend.close(); // the removal runs off the tick; closing lets one that is due finish
    assertFalse(rig.world.copies().containsKey("nest-1"));
  }

  /**
   * Jenkins removes an agent's node whatever {@code _terminate} does; while the fleet cannot start
   * (here no cloud configured) the agent's end is kept under JENKINS_HOME, so the orchestrator ends
   * its VM once it starts, after a controller restart too, and then forgets it.
   */
  @Test
  void an_agent_removed_while_the_fleet_cannot_start_is_ended_once_it_starts() throws Exception {
    String od = rig.host(OD, Market.ON_DEMAND);
    String busy = rig.agent(od, 2048, true);
    String other = rig.agent(od, 2048, true);
    seed.close();
    FleetWiring wiring = wiring();
    java.util.concurrent.atomic.AtomicBoolean configured =
        new java.util.concurrent.atomic.AtomicBoolean(false);
    java.util.function.Supplier<FleetWiring> cloud =
        () -> {
          if (!configured.get()) {
            throw new FleetConfigException("SpotNest: no SpotNest cloud is configured");
          }
          return wiring;
        };
    OrchestratorBackend before = new OrchestratorBackend(() -> home, cloud, rig.clock, rig.ids());
    Listeners log = Listeners.capture();

    new SpotNestAgent(busy, "nest", new SpotNestTemplate("linux"), "http://127.0.0.1:8080/")
        .withBackend(before)
        ._terminate(log);

    assertTrue(log.text().contains("is ended once the fleet can"), log.text());
    assertTrue(rig.world.copies().containsKey(busy), "its VM runs on while the fleet is down");
    configured.set(true);
    OrchestratorBackend restarted =
        new OrchestratorBackend(() -> home, cloud, rig.clock, rig.ids());
    restarted.controller();
    assertEquals(
        List.of(other), restarted.controller().agents().stream().map(a -> a.agentName()).toList());
    assertEquals(
        "",
        Files.readString(home.resolve("spotnest/agents-to-end.txt")).strip(),
        "forgotten once ended");
    restarted.close(); // the removal runs off the tick; closing lets one that is due finish
    assertFalse(rig.world.copies().containsKey(busy), "ended once the fleet starts");
    assertTrue(rig.world.copies().containsKey(other), "no other agent is touched");
  }

  @Test
  void admin_migrate_now_goes_to_the_orchestrators_voluntary_lane() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String agent = rig.agent(spot, 2048, true);
    startJenkins();
    SpotNestManagementLink page = new SpotNestManagementLink(() -> backend, permission -> {});

    page.doMigrateNow(agent);

    OperatorRequested request = journaled(OperatorRequested.class).get(0);
    assertEquals(OperatorAction.MIGRATE_NOW, request.action());
    assertEquals(agent, request.target());
    tick.doRun();
    MoveStarted move = journaled(MoveStarted.class).get(0);
    assertEquals(agent, move.agentId());
    assertFalse(move.forced(), "the voluntary lane");
    assertEquals(od, move.to());
    rig.world.completeMoves(Duration.ofSeconds(6), Duration.ofMillis(90));
    tick.doRun();
    assertTrue(
        linesOf(agent)
            .get(0)
            .contains("an administrator asked (migrate now (" + request.requestId() + "))"),
        linesOf(agent).toString());
  }

  @Test
  void admin_drain_host_is_journaled_in_the_orchestrator() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    startJenkins();
    SpotNestManagementLink page = new SpotNestManagementLink(() -> backend, permission -> {});

    page.doDrainHost(spot);

    assertEquals(OperatorAction.DRAIN_HOST, journaled(OperatorRequested.class).get(0).action());
    assertTrue(
        backend.controller().hosts().stream()
            .anyMatch(h -> h.hostId().equals(spot) && h.draining()));
  }

  @Test
  void the_admin_pages_lost_builds_name_the_agent_and_the_vanished_host() throws Exception {
    String spot = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String agent = rig.agent(spot, 2048, true);
    startJenkins();
    SpotNestManagementLink page = new SpotNestManagementLink(() -> backend, permission -> {});
    tick.doRun();
    assertEquals(
        0, new ObjectMapper().readTree(page.document("/api/losses").orElseThrow().json()).size());
    rig.world.vanish(spot);
    tick.doRun();

    JsonNode losses =
        new ObjectMapper().readTree(page.document("/api/losses").orElseThrow().json());

    assertEquals(1, losses.size(), losses.toString());
    assertEquals(agent, losses.get(0).get("agent").asText());
    assertEquals(spot, losses.get(0).get("host").asText());
    assertTrue(losses.get(0).get("reason").asText().contains(spot), losses.toString());
    assertFalse(losses.get(0).get("atEpochMs").isNull(), losses.toString());
  }

  /**
   * The lost-builds document of the admin page says per loss what Jenkins did: the rescheduled
   * build's queue item, or that no build ran; after a controller restart, plainly that it is not
   * known (the relay's memory went with the old controller).
   */
  @Test
  void the_admin_pages_lost_builds_say_what_jenkins_did_and_after_a_restart_that_it_is_not_known()
      throws Exception {
    String spot = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String busy = rig.agent(spot, 2048, true);
    String idle = rig.agent(spot, 2048, false);
    FakeAgentBuild build = new FakeAgentBuild("app#7");
    build.requeue = Requeue.newItem(57);
    running.put(busy, List.of(build));
    startJenkins();
    SpotNestManagementLink page =
        new SpotNestManagementLink(() -> backend, permission -> {}, tick.outcomes());
    tick.doRun();
    rig.world.vanish(spot);
    tick.doRun();

    JsonNode losses =
        new ObjectMapper().readTree(page.document("/api/losses").orElseThrow().json());

    assertEquals(2, losses.size(), losses.toString());
    assertEquals("app#7 rescheduled as queue item 57", jenkinsOf(losses, busy));
    assertEquals("No build was running on it", jenkinsOf(losses, idle));

    rig.clock.advance(Duration.ofMinutes(3)); // Jenkins restarts
    backend.close();
    startJenkins();
    SpotNestManagementLink restarted =
        new SpotNestManagementLink(() -> backend, permission -> {}, tick.outcomes());
    tick.doRun();

    JsonNode after =
        new ObjectMapper().readTree(restarted.document("/api/losses").orElseThrow().json());

    assertEquals(2, after.size(), after.toString());
    assertEquals(LostBuildOutcomes.NOT_KNOWN_BEFORE_START, jenkinsOf(after, busy));
    assertEquals(LostBuildOutcomes.NOT_KNOWN_BEFORE_START, jenkinsOf(after, idle));
    assertEquals(List.of("reschedule", "println", "abort"), build.steps, "rescheduled once");
  }

  /** What the lost-builds document says Jenkins did about the loss of {@code agent}. */
  private static String jenkinsOf(JsonNode losses, String agent) {
    for (JsonNode l : losses) {
      if (l.get("agent").asText().equals(agent)) {
        return l.path("jenkins").isTextual() ? l.get("jenkins").asText() : l.toString();
      }
    }
    throw new AssertionError("no loss of " + agent + " in " + losses);
  }

  @Test
  void the_admin_page_serves_the_dashboards_json_to_administrators_only() throws Exception {
    String spot = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    rig.agent(spot, 2048, true);
    startJenkins();
    tick.doRun();
    SpotNestManagementLink page = new SpotNestManagementLink(() -> backend, permission -> {});

    JsonNode summary =
        new ObjectMapper().readTree(page.document("/api/summary").orElseThrow().json());
    JsonNode hosts = new ObjectMapper().readTree(page.document("/api/hosts").orElseThrow().json());

    assertEquals("orchestrator", summary.get("source").asText());
    assertEquals(2, summary.get("hosts").asInt());
    assertEquals(1, summary.get("agents").asInt());
    assertEquals(2, hosts.size());
    JsonNode pools = new ObjectMapper().readTree(page.document("/api/pools").orElseThrow().json());
    assertEquals("c8i.2xlarge@use1-az1", pools.get(0).get("pool").asText(), pools.toString());
    assertEquals("open", pools.get(0).get("state").asText());
    assertTrue(page.document("/api/nothing").isEmpty(), "no such document");
    RecordedResponse served = RecordedResponse.of(page.doApi(" /api/summary "), page);
    assertEquals(200, served.status());
    assertEquals("application/json;charset=UTF-8", served.contentType());
    assertEquals(summary, new ObjectMapper().readTree(served.body()));
    SpotNestManagementLink refused =
        new SpotNestManagementLink(
            () -> backend,
            permission -> {
              throw new SecurityException("not an administrator");
            });
    assertThrows(SecurityException.class, () -> refused.document("/api/summary"));
  }

  @Test
  void nothing_is_journaled_for_an_unknown_agent() {
    rig.host(OD, Market.ON_DEMAND);
    startJenkins();
    SpotNestManagementLink page = new SpotNestManagementLink(() -> backend, permission -> {});
    page.doMigrateNow("nobody");
    assertTrue(journaled(JournalRecord.OperatorRequested.class).isEmpty());
  }
}
