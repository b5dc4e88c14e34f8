package io.spotnest.cli;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.Pool;
import io.spotnest.hosts.testbed.TestbedHostProvider;
import io.spotnest.migration.AgentVmSpec;
import io.spotnest.migration.HypervisorEndpoint;
import io.spotnest.migration.HypervisorFactory;
import io.spotnest.migration.MigrationListener;
import io.spotnest.migration.MigrationPlan;
import io.spotnest.migration.MigrationPlanner;
import io.spotnest.migration.MigrationProgress;
import io.spotnest.migration.MigrationSettings;
import io.spotnest.migration.StandbyMemory;
import io.spotnest.migration.TestGuest;
import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.adapter.hosts.PoolMapping;
import io.spotnest.orchestrator.adapter.hosts.ProviderHostFleet;
import io.spotnest.orchestrator.adapter.migration.EngineAgentMover;
import io.spotnest.orchestrator.adapter.migration.MoveReport;
import io.spotnest.orchestrator.adapter.strategy.FleetRiskStrategy;
import io.spotnest.orchestrator.adapter.vms.HypervisorAgentVms;
import io.spotnest.orchestrator.journal.FileJournal;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.ManagedHost;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.placement.Limits;
import io.spotnest.orchestrator.port.HostOrder;
import io.spotnest.orchestrator.port.MoveOrder;
import io.spotnest.orchestrator.port.PoolReclamation;
import io.spotnest.orchestrator.port.PoolSignals;
import io.spotnest.orchestrator.tick.FleetConfig;
import io.spotnest.orchestrator.tick.Ids;
import io.spotnest.orchestrator.tick.TickReport;
import io.spotnest.strategy.fleet.CopyMode;
import io.spotnest.strategy.policy.MigrationAssumptions;
import io.spotnest.strategy.policy.ParametricMigrationEstimator;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.risk.HazardRiskModel;
import io.spotnest.testbed.DaemonThreads;
import io.spotnest.testbed.GuestImage;
import io.spotnest.testbed.TestbedHost;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The whole idea on the local testbed: the orchestrator's control loop, with the real strategy,
 * hosts from the testbed (spot and on-demand), the migration engine and real agent VMs running the
 * stand-in build, while a real spot trace is replayed (sped up while nothing happens). Agents are
 * placed in the safest spot pools; when a pool's risk rises the fleet strategy moves its agent to
 * on-demand; once a spot pool calms it moves that agent back to a spot host launched there; then a
 * notice on the other agent's host (scripted at the time of a real reclamation in its pool's trace)
 * takes the forced lane. The dashboard shows it live.
 */
final class FleetDemo {
  /**
   * The expected length of a build, as the orchestrator is told (the strategy weighs remaining
   * build time).
   */
  static final Duration EXPECTED_BUILD = Duration.ofHours(12);

  /** Room a host needs beyond the VM's RAM (QEMU, the host's own share). */
  private static final long HOST_OVERHEAD_MIB = 128;

  private static final double MAX_SPOT_RISK = 0.2;

  /**
   * The engine plans the demo's moves with the whole link: their 256 MiB guests are mostly zero
   * pages, which QEMU sends as flags, so a move took 42 s over the 40 Mbit/s link in CI (1.3 times
   * the link), where {@link LabSession#LINK_EFFICIENCY} predicts 72 s before any re-sent page. A
   * voluntary move whose plan misses its deadline is refused, so the planner's pessimism alone
   * would refuse the policy's moves on a loaded machine (seen: predicted 183 s against 123 s).
   */
  static final double DEMO_PLANNER_EFFICIENCY = 1.0;

  /**
   * After the engine refused a move, the trace runs in real time this long, so the strategy asks
   * again at the same moment of the trace (with a fresh measurement) rather than racing past it.
   */
  private static final Duration AFTER_REFUSAL = Duration.ofSeconds(30);

  /** An agent stays this long (trace time) on on-demand before it may move back to spot. */
  static final Duration MIN_ON_DEMAND = Duration.ofMinutes(10);

  /**
   * A spot pool below this 15-minute risk is calm: it receives agents moving back. The simulator
   * uses 0.05, which no pool of the replayed r5.16xlarge traces reaches in their first 24 hours.
   */
  static final double CALM_P15 = 0.10;

  static final String RISK_DRIVEN = "risk-driven";
  static final String MOVE_BACK = "move back to spot";
  static final String FORCED = "forced by the notice";

  /**
   * @param speed trace seconds per wall second while nothing real runs
   * @param traceLimit give up waiting for a risk-driven move, or after it for the move back, after
   *     this much trace time and go on to the notice
   * @param wallLimit the whole demo fails after this much wall time
   * @param dashboardPort the dashboard's port on 127.0.0.1 (0: any free port)
   * @param standbyStoreMiB room for standby files on each host ({@code
   *     FleetConfig.standbyStoreMiB}; 0: none)
   */
  record Settings(
      double speed,
      long vmMib,
      int dirtyMibS,
      Duration traceLimit,
      Duration wallLimit,
      int stepsAfter,
      int dashboardPort,
      long standbyStoreMiB) {}

  /** What happened. */
  record Result(
      List<BuildWatch.Build> builds,
      int lostBuilds,
      List<DemoMove> moves,
      double costUsd,
      double allOnDemandUsd,
      double agentHours,
      List<String> notes,
      Duration wall) {}

  private final LabSession lab;
  private final DemoClock clock;
  private final TraceMarket market;
  private final Settings settings;
  private final PrintStream log;
  private final Progress progress;
  private final List<MoveReport> moves = new CopyOnWriteArrayList<>();
  private final Map<String, String> kinds = new ConcurrentHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private final Map<String, Integer> guestNumbers = new HashMap<>();
  private double costUsd;
  private double allOnDemandUsd;
  private double agentHours;

  FleetDemo(
      LabSession lab,
      DemoClock clock,
      TraceMarket market,
      Settings settings,
      PrintStream log,
      Progress progress) {
    this.lab = lab;
    this.clock = clock;
    this.market = market;
    this.settings = settings;
    this.log = log;
    this.progress = progress;
  }

  private void say(String text) {
    log.printf("demo [%s]: %s%n", clock.instant().toString().substring(0, 16) + "Z", text);
  }

  Result run() {
    long wallStart = System.nanoTime();
    TestbedHost h1 = lab.testbed.host(1);
    TestbedHost h2 = lab.testbed.host(2);
    say(
        "lab "
            + lab.testbed.names().index()
            + ": hosts "
            + lab.testbed.hosts().stream().map(h -> h.name() + " (" + h.address() + ")").toList()
            + ", work directory "
            + lab.testbed.spec().workRoot().resolve("lab" + lab.testbed.names().index())
            + ", libvirtd pids "
            + lab.testbed.hosts().stream().map(FleetDemo::daemonPid).toList());
    long linkBps = lab.measureLink(h1, h2);
    say(
        String.format(
            Locale.ROOT,
            "measured lab link %.1f MiB/s; the policy estimates migrations on it with a "
                + "%d MiB/s dirty rate",
            linkBps / 1048576.0,
            settings.dirtyMibS()));
    TestbedHostProvider testbed = new TestbedHostProvider(lab.testbed, clock);
    Pool labPool = testbed.pool();
    FreshLeaseIds provider = FreshLeaseIds.of(testbed);
    PoolMapping mapping =
        new PoolMapping() {
          @Override
          public Pool poolFor(HostOrder order) {
            return labPool;
          }

          @Override
          public PoolKey keyOf(Host host) {
            return new PoolKey(host.pool().instanceType(), host.zoneId());
          }
        };
    Path journalDir;
    try {
      journalDir = Files.createTempDirectory(Path.of("/var/tmp/spotnest"), "demo-journal-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the demo's journal directory", e);
    }
    Thread removeJournal = new Thread(() -> deleteQuietly(journalDir), "demo-journal-remove");
    Runtime.getRuntime().addShutdownHook(removeJournal);
    FileJournal journal = FileJournal.open(journalDir.resolve("journal.jsonl"));
    try (DemoDashboard dashboard = DemoDashboard.start(clock, settings.dashboardPort());
        ProviderHostFleet fleet =
            new ProviderHostFleet(provider, mapping, "testbed", clock, Duration.ofSeconds(30))) {
      log.println(
          "demo: dashboard at "
              + dashboard.address()
              + " (open "
              + dashboard.signIn()
              + " to sign in; it stops with the demo)");
      HypervisorFactory libvirt = HypervisorFactory.LIBVIRT;
      EngineAgentMover mover =
          new EngineAgentMover(
              () -> endpoints(provider),
              new MigrationPlanner(DEMO_PLANNER_EFFICIENCY, Duration.ofMillis(500)),
              libvirt,
              clock,
              MigrationSettings.defaults(),
              (a, b) -> linkBps,
              new MigrationListener() {
                @Override
                public void onPlan(MigrationPlan plan) {
                  say(
                      String.format(
                          Locale.ROOT,
                          "engine %s (measured dirty rate %.1f MiB/s, link %.1f MiB/s)",
                          plan,
                          plan.inputs().dirtyBytesPerSecond() / 1048576.0,
                          plan.inputs().linkBytesPerSecond() / 1048576.0));
                }

                @Override
                public void onProgress(MigrationProgress p) {
                  progress.update("migrating: " + p.toString().strip());
                }
              },
              moves::add,
              StandbyMemory.RAM);
      HypervisorAgentVms vms =
          new HypervisorAgentVms(
              id ->
                  provider.list().stream()
                      .filter(h -> h.id().equals(id))
                      .findFirst()
                      .map(FleetDemo::endpoint),
              libvirt,
              this::spec);
      FleetRiskStrategy strategy =
          strategy(market, linkBps, settings.vmMib(), settings.dirtyMibS());
      Orchestrator o =
          new Orchestrator(
              clock,
              dashboard.tap(journal),
              new Orchestrator.Ports(fleet, mover, vms, market, strategy),
              config(market, settings),
              Ids.random());
      try (o) { // its VM removal worker stops with the demo
        dashboard.live(o::state);
        o.reconcile();
        return new Story(o, provider, strategy, dashboard).play(wallStart);
      }
    } finally {
      journal.close();
      deleteQuietly(journalDir);
      try {
        Runtime.getRuntime().removeShutdownHook(removeJournal);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }

  /**
   * The fleet strategy the simulator scores, sized for the testbed: hosts come at once, the
   * on-demand host has room for both agents, an agent stays {@link #MIN_ON_DEMAND} on on-demand
   * before it may move back to a calm spot pool.
   */
  static FleetRiskStrategy strategy(TraceMarket market, long linkBps, long vmMib, int dirtyMibS) {
    MigrationAssumptions lab =
        new MigrationAssumptions(linkBps * 8 / 1e9, LabSession.LINK_EFFICIENCY, dirtyMibS);
    FleetRiskStrategy.Settings tuned =
        new FleetRiskStrategy.Settings(
            Duration.ofSeconds(10),
            2.0 * vmMib / 1024,
            MIN_ON_DEMAND,
            0.0, // the testbed's "zones" share one machine: moving between them costs nothing
            1,
            HOST_OVERHEAD_MIB / 1024.0,
            Duration.ofSeconds(110),
            Duration.ofMinutes(10),
            false,
            Optional.empty(),
            CALM_P15,
            Duration.ofMinutes(15),
            market.pools().get(0).key().zoneId(),
            market.spotToOnDemand(market.pools().get(0).key()));
    return new FleetRiskStrategy(
        new HazardRiskModel(HazardParameters.DEFAULTS),
        PolicyParameters.DEFAULTS,
        new ParametricMigrationEstimator(lab),
        tuned);
  }

  /** The orchestrator's configuration for the demo's {@code market} and {@code settings}. */
  static FleetConfig config(TraceMarket market, Settings settings) {
    List<HostOrder> offers = new ArrayList<>();
    long spotMib = settings.vmMib() + HOST_OVERHEAD_MIB;
    for (TraceMarket.Pool p : market.pools()) {
      offers.add(new HostOrder(p.key(), Market.SPOT, spotMib));
    }
    offers.add(new HostOrder(market.pools().get(0).key(), Market.ON_DEMAND, 2 * spotMib));
    // the demo's acts show risk moves, the move back and the notice path; a standing copy (shown
    // by StandingCopyFleetLabTest) would hold the demo's 40 Mbit/s link for a minute at a time
    return new FleetConfig(
            offers,
            new Limits(3, 2, 1, 1, MAX_SPOT_RISK),
            0,
            0.1,
            Duration.ofMinutes(30),
            Duration.ofMinutes(2))
        .withCopyMode(CopyMode.OFF)
        .withStandbyStoreMiB(settings.standbyStoreMiB());
  }

  private static List<HypervisorEndpoint> endpoints(FreshLeaseIds provider) {
    return provider.list().stream().map(FleetDemo::endpoint).toList();
  }

  private static HypervisorEndpoint endpoint(Host h) {
    return new HypervisorEndpoint(
        h.id(),
        h.libvirtUri().toString(),
        h.peerUri().toString(),
        Math.max(1, h.capacity().memoryMib()));
  }

  private synchronized AgentVmSpec spec(String agentId, long ramMiB) {
    int n = guestNumbers.computeIfAbsent(agentId, a -> guestNumbers.size() + 1);
    String address = lab.testbed.names().guestAddress(n);
    lab.testbed.requireLabRoute(address);
    return TestGuest.spec(
        agentId,
        ramMiB,
        lab.image.kernel().getParent().toString(),
        TestbedHost.imagesPathInHost() + "/" + GuestImage.WORKSPACE_BASE_NAME,
        address + "/24",
        lab.channel.endpoint(),
        settings.dirtyMibS(),
        (int) Math.min(128, ramMiB / 4),
        String.format("52:54:00:5e:%02x:%02x", lab.testbed.names().index(), n));
  }

  /**
   * The demo's script over one orchestrator; one thread drives it (the orchestrator is
   * single-threaded).
   */
  private final class Story {
    private final Orchestrator o;
    private final FreshLeaseIds provider;
    private final FleetRiskStrategy strategy;
    private final DemoDashboard dashboard;
    private final BuildWatch watch = new BuildWatch(lab.channel);
    private final List<String> agents = new ArrayList<>();
    private final Map<String, String> lastHost = new LinkedHashMap<>();
    private final Instant from = clock.instant();
    private Instant lastAccounted = clock.instant();
    private String voluntaryAgent;
    private boolean voluntaryEnded;
    private Instant voluntaryEndedAt;
    private boolean backEnded;
    private String noticeHost;
    private String noticeAgent;
    private Instant noticeAt;
    private Instant reclaimAt;
    private boolean noticeSent;
    private boolean reclaimed;
    private boolean forcedEnded;
    private Map<String, Long> finishFrom;
    private long refusedAtNanos;
    private boolean refusedOnce;
    private int reported;

    Story(
        Orchestrator o,
        FreshLeaseIds provider,
        FleetRiskStrategy strategy,
        DemoDashboard dashboard) {
      this.o = o;
      this.provider = provider;
      this.strategy = strategy;
      this.dashboard = dashboard;
    }

    Result play(long wallStart) {
      long deadline = wallStart + settings.wallLimit().toNanos();
      agents.add(o.requestAgent(settings.vmMib(), EXPECTED_BUILD));
      say(
          "agent "
              + agents.get(0)
              + " requested ("
              + settings.vmMib()
              + " MiB VM, stand-in build); "
              + fmt(risks(clock.instant())));
      while (true) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the demo did not finish within "
                  + settings.wallLimit().toMinutes()
                  + " min (see the lines above)");
        }
        TickReport r = o.tick();
        account();
        agents.forEach(a -> dashboard.step(a, watch.of(a).lastStep()));
        dashboard.publish(r.at(), risks(r.at()), o.state(), market.quotes());
        r.forcedStarted().forEach(m -> started(m, true));
        r.voluntaryStarted().forEach(m -> started(m, false));
        reportMoves();
        bringOnline();
        hostsChanged();
        if (agents.size() == 1 && busy(agents.get(0))) {
          maybeRequestSecond();
        }
        planNotice();
        sendNotice();
        if (finish()) {
          break;
        }
        // a fast clock stops at the notice's time, so the notice goes out with its full 2 minutes
        clock.speed(somethingReal() ? 1 : settings.speed(), noticeSent ? null : noticeAt);
        progress.update(status());
        LabSession.sleep(250);
      }
      List<DemoMove> ended = new ArrayList<>();
      for (MoveReport m : moves) {
        ended.add(new DemoMove(kindOf(m), m));
      }
      return new Result(
          watch.all(agents),
          o.lostBuilds().size(),
          ended,
          costUsd,
          allOnDemandUsd,
          agentHours,
          List.copyOf(notes),
          Duration.ofNanos(System.nanoTime() - wallStart));
    }

    private boolean busy(String agent) {
      return o.state().findAgent(agent).map(a -> a.phase() == AgentPhase.BUSY).orElse(false);
    }

    private Optional<ManagedHost> hostOf(String agent) {
      return o.state().findAgent(agent).map(Agent::hostId).flatMap(h -> o.state().findHost(h));
    }

    /**
     * Names the move as it starts: forced by a notice, back from on-demand to spot, or risk-driven.
     */
    private void started(MoveOrder m, boolean forced) {
      Optional<ManagedHost> from = o.state().findHost(m.from());
      Optional<ManagedHost> to = o.state().findHost(m.to());
      boolean back =
          !forced
              && from.map(h -> h.market() == Market.ON_DEMAND).orElse(false)
              && to.map(h -> h.market() == Market.SPOT).orElse(false);
      String kind = forced ? FORCED : back ? MOVE_BACK : RISK_DRIVEN;
      kinds.put(m.moveId(), kind);
      say(
          String.format(
              Locale.ROOT,
              "%s of %s: %s (%s) -> %s (%s), deadline in %d s",
              forced ? "FORCED move" : back ? "move back to spot" : "risk-driven move",
              m.agentId(),
              m.from(),
              from.map(this::where).orElse("?"),
              m.to(),
              to.map(this::where).orElse("?"),
              Duration.between(clock.instant(), m.deadline()).toSeconds()));
    }

    private String kindOf(MoveReport m) {
      return kinds.getOrDefault(m.order().moveId(), m.order().forced() ? FORCED : RISK_DRIVEN);
    }

    private String where(ManagedHost h) {
      return h.market() == Market.SPOT ? "spot " + h.pool().zoneId() : "on-demand";
    }

    private void reportMoves() {
      while (reported < moves.size()) {
        MoveReport m = moves.get(reported++);
        DemoMove d = new DemoMove(kindOf(m), m);
        String agent = m.order().agentId();
        if (d.refused()) {
          say(
              String.format(
                  Locale.ROOT,
                  "move of %s (%s) REFUSED by the engine up front, nothing copied, the VM stays"
                      + " on %s (not a migration; the strategy asks again at its next tick): %s",
                  agent,
                  d.kind(),
                  m.outcome().runningOn().orElse(m.order().from()),
                  m.outcome().message()));
          refusedOnce = true;
          refusedAtNanos = System.nanoTime();
          continue;
        }
        say(String.format(Locale.ROOT, "move of %s ended (%s): %s", agent, d.kind(), m.outcome()));
        if (!d.migrated()) {
          continue;
        }
        if (d.kind().equals(RISK_DRIVEN) && voluntaryAgent == null) {
          voluntaryAgent = agent;
          voluntaryEnded = true;
          voluntaryEndedAt = clock.instant();
          say(
              "waiting for a calm spot pool (P reclaim 15 min below "
                  + CALM_P15
                  + ", no reclamation for "
                  + MIN_ON_DEMAND.toMinutes()
                  + " min) to move "
                  + agent
                  + " back to");
        } else if (d.kind().equals(MOVE_BACK) && agent.equals(voluntaryAgent) && !backEnded) {
          backEnded = true;
          say(
              "agent "
                  + agent
                  + " moved back to spot: "
                  + m.order().to()
                  + ", live, its build still running");
        } else if (d.kind().equals(FORCED)) {
          forcedEnded = true;
        }
      }
    }

    private void bringOnline() {
      for (String a : agents) {
        Agent agent = o.state().findAgent(a).orElseThrow();
        if (agent.phase() == AgentPhase.BOOTING && watch.of(a).started()) {
          o.agentOnline(a);
          o.buildStarted(a);
          say(
              "agent "
                  + a
                  + " is online on "
                  + agent.hostId()
                  + " (its build said HELLO) and its build runs");
        }
      }
    }

    private void hostsChanged() {
      for (String a : agents) {
        Optional<ManagedHost> h = hostOf(a);
        String now =
            h.map(
                    x ->
                        x.id()
                            + " ("
                            + x.market()
                            + (x.market() == Market.SPOT ? " " + x.pool().zoneId() : "")
                            + ")")
                .orElse("-");
        if (!now.equals(lastHost.put(a, now)) && h.isPresent()) {
          say("agent " + a + " runs on " + now);
        }
      }
    }

    private void maybeRequestSecond() {
      Map<PoolKey, Double> risk = risks(clock.instant());
      Optional<PoolKey> first = hostOf(agents.get(0)).map(ManagedHost::pool);
      Optional<PoolKey> safest =
          risk.entrySet().stream()
              .filter(e -> e.getValue() <= MAX_SPOT_RISK)
              .min(Map.Entry.comparingByValue())
              .map(Map.Entry::getKey);
      boolean late = clock.instant().isAfter(from.plus(Duration.ofHours(3)));
      if (safest.isPresent() && (!safest.equals(first) || late)) {
        agents.add(o.requestAgent(settings.vmMib(), EXPECTED_BUILD));
        say(
            "agent "
                + agents.get(1)
                + " requested; the safest spot pool is now "
                + safest.get().zoneId()
                + " "
                + fmt(risk));
        if (late && safest.equals(first)) {
          notes.add(
              "no other spot pool became the safest within 3 trace hours: both agents share one pool");
        }
      }
    }

    /**
     * After the risk-driven move (or the trace limit), script the notice at the other pool's next
     * reclamation.
     */
    private void planNotice() {
      if (noticeAt != null || agents.size() < 2 || !agents.stream().allMatch(this::busy)) {
        return;
      }
      Instant now = clock.instant();
      boolean gaveUp = now.isAfter(from.plus(settings.traceLimit()));
      if (!voluntaryEnded && !gaveUp) {
        return;
      }
      if (gaveUp && !voluntaryEnded) {
        notes.add("no risk-driven move within " + settings.traceLimit().toHours() + " trace hours");
      }
      if (voluntaryEnded && !backEnded) {
        boolean calmGaveUp = now.isAfter(voluntaryEndedAt.plus(settings.traceLimit()));
        if (!calmGaveUp || !o.state().moves().isEmpty()) {
          return;
        }
        notes.add(
            "no move back to spot within "
                + settings.traceLimit().toHours()
                + " trace hours of the risk-driven move");
      }
      for (String a : agents) {
        Optional<ManagedHost> h = hostOf(a);
        if (h.isPresent() && h.get().market() == Market.SPOT && !a.equals(voluntaryAgent)) {
          Optional<Instant> next =
              market.nextReclamation(h.get().pool(), clock.instant().plus(Duration.ofMinutes(10)));
          if (next.isEmpty()) {
            notes.add(
                "pool " + h.get().pool().zoneId() + "'s trace has no later reclamation: no notice");
            return;
          }
          noticeHost = h.get().id();
          noticeAgent = a;
          reclaimAt = next.get();
          noticeAt = reclaimAt.minus(Duration.ofMinutes(2));
          say(
              "pool "
                  + h.get().pool().zoneId()
                  + "'s trace has its next reclamation at "
                  + reclaimAt
                  + ": our host "
                  + noticeHost
                  + " (agent "
                  + a
                  + ") will be reclaimed with it, and gets the 2-minute"
                  + " interruption notice at "
                  + noticeAt
                  + " (INJECTED: the notice is scripted at the time of that real"
                  + " reclamation)");
          return;
        }
      }
    }

    private void sendNotice() {
      Instant now = clock.instant();
      if (noticeAt != null && !noticeSent && !now.isBefore(noticeAt)) {
        noticeSent = true;
        Duration left = Duration.between(now, reclaimAt);
        say(
            "INJECTED interruption notice for "
                + noticeHost
                + ": reclaimed in "
                + left.toSeconds()
                + " s");
        async("notice", () -> provider.interrupt(noticeHost, left));
      }
      if (noticeSent && !reclaimed && !now.isBefore(reclaimAt)) {
        reclaimed = true;
        if (provider.list().stream().anyMatch(h -> h.id().equals(noticeHost))) {
          say("the reclamation: " + noticeHost + " is taken away now (its libvirtd is killed)");
          async("reclaim", () -> provider.reclaim(noticeHost));
        } else {
          say("the reclamation time has come; " + noticeHost + " was already drained and released");
        }
      }
    }

    /** Both builds carry on a few steps after the last move, then finish; true when done. */
    private boolean finish() {
      boolean storyOver =
          forcedEnded
              || (noticeAt == null && notes.stream().anyMatch(n -> n.contains("no notice")));
      if (!storyOver || !o.state().moves().isEmpty()) {
        return false;
      }
      if (finishFrom == null) {
        finishFrom = new HashMap<>();
        agents.forEach(a -> finishFrom.put(a, watch.of(a).lastStep()));
        say(
            "the story is over; the builds take "
                + settings.stepsAfter()
                + " more steps, then finish");
      }
      for (String a : agents) {
        if (watch.of(a).lastStep() < finishFrom.get(a) + settings.stepsAfter()) {
          return false;
        }
      }
      for (String a : agents) {
        if (busy(a)) {
          o.buildFinished(a);
          say("build on " + a + " finished at step " + watch.of(a).lastStep());
          o.retireAgent(a);
        }
      }
      return true;
    }

    private boolean somethingReal() {
      Instant now = clock.instant();
      boolean booting =
          agents.stream()
              .anyMatch(
                  a ->
                      !busy(a)
                          && o.state()
                              .findAgent(a)
                              .map(x -> x.phase() != AgentPhase.ONLINE)
                              .orElse(false));
      boolean noticeSoon = noticeAt != null && !forcedEnded && !now.isBefore(noticeAt);
      boolean askingAgain =
          refusedOnce && System.nanoTime() - refusedAtNanos < AFTER_REFUSAL.toNanos();
      return booting
          || !o.state().moves().isEmpty()
          || noticeSoon
          || finishFrom != null
          || askingAgain;
    }

    /**
     * Agent time priced at its host's market, against the same time all on on-demand (trace time).
     */
    private void account() {
      Instant now = clock.instant();
      double hours = Duration.between(lastAccounted, now).toMillis() / 3_600_000.0;
      lastAccounted = now;
      for (String a : agents) {
        Optional<ManagedHost> h = hostOf(a);
        if (h.isEmpty()
            || !o.state().findAgent(a).map(x -> x.phase() != AgentPhase.GONE).orElse(false)) {
          continue;
        }
        double od = market.onDemandUsdPerHour();
        double price =
            h.get().market() == Market.SPOT ? od * market.spotToOnDemand(h.get().pool()) : od;
        costUsd += hours * price;
        allOnDemandUsd += hours * od;
        agentHours += hours;
      }
    }

    private Map<PoolKey, Double> risks(Instant now) {
      List<PoolReclamation> recl = market.reclamations();
      List<PoolSignals> signals = new ArrayList<>();
      for (TraceMarket.Pool p : market.pools()) {
        List<Instant> at =
            recl.stream()
                .filter(r -> r.pool().equals(p.key()))
                .map(PoolReclamation::at)
                .sorted()
                .toList();
        signals.add(
            new PoolSignals(
                p.key(),
                market.quotes().stream().filter(q -> q.pool().equals(p.key())).findFirst(),
                at,
                Optional.empty()));
      }
      return strategy.assess(now, signals, List.of()).poolRisk();
    }

    private String fmt(Map<PoolKey, Double> risk) {
      StringBuilder b = new StringBuilder("(P reclaim 15 min:");
      risk.entrySet().stream()
          .sorted(Map.Entry.comparingByKey((x, y) -> x.zoneId().compareTo(y.zoneId())))
          .forEach(
              e ->
                  b.append(
                      String.format(Locale.ROOT, " %s %.2f", e.getKey().zoneId(), e.getValue())));
      return b.append(")").toString();
    }

    private String status() {
      StringBuilder b =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "trace %s x%.0f",
                  clock.instant().toString().substring(0, 16),
                  clock.speed()));
      for (String a : agents) {
        b.append(" | ")
            .append(a)
            .append(' ')
            .append(o.state().findAgent(a).map(x -> x.phase().name()).orElse("?"))
            .append(" step ")
            .append(watch.of(a).lastStep());
      }
      return b.append(' ').append(fmt(risks(clock.instant()))).toString();
    }

    private void async(String name, Runnable r) {
      DaemonThreads.start(
          "demo-" + name,
          () -> {
            try {
              r.run();
            } catch (RuntimeException e) {
              say(name + " failed: " + e.getMessage());
            }
          });
    }
  }

  private static String daemonPid(TestbedHost h) {
    try {
      return Files.readString(h.pidFile()).strip();
    } catch (IOException e) {
      return "?";
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // a leftover journal in /var/tmp is harmless
    }
  }
}
