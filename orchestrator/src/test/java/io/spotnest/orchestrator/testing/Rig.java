package io.spotnest.orchestrator.testing;

import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.journal.InMemoryJournal;
import io.spotnest.orchestrator.journal.Journal;
import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPlaced;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.journal.JournalRecord.HostLaunchRequested;
import io.spotnest.orchestrator.journal.JournalRecord.HostLaunched;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.MemoryBacking;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.placement.Limits;
import io.spotnest.orchestrator.port.AgentVms;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.port.HostFleet;
import io.spotnest.orchestrator.port.HostOrder;
import io.spotnest.orchestrator.port.MoveOrder;
import io.spotnest.orchestrator.port.RiskStrategy;
import io.spotnest.orchestrator.port.SecretSource;
import io.spotnest.orchestrator.tick.FleetConfig;
import io.spotnest.orchestrator.tick.Ids;
import io.spotnest.orchestrator.tick.RemovalWorker;
import io.spotnest.strategy.fleet.CopyMode;
import io.spotnest.strategy.fleet.CopyRequest;
import io.spotnest.testbed.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An orchestrator wired to a {@link FakeWorld}, a {@link FakeStrategy}, an in-memory journal and a
 * hand clock.
 */
public final class Rig {
  public static final long HOST_MIB = 8192;
  public static final List<HostOrder> OFFERS =
      List.of(
          new HostOrder(States.SPOT_A, Market.SPOT, HOST_MIB),
          new HostOrder(States.SPOT_B, Market.SPOT, HOST_MIB),
          new HostOrder(States.OD, Market.ON_DEMAND, HOST_MIB));

  public final MutableClock clock = new MutableClock(States.T0);
  public final FakeStrategy strategy = new FakeStrategy();

  /** The strategy the orchestrator runs; the fake unless a test sets a real one. */
  public RiskStrategy strategyPort = strategy;

  /** The VM port the orchestrator runs; the fake world unless a test sets another. */
  public AgentVms vms;

  /** Where the orchestrator gets agents' secrets at boot time. */
  public SecretSource secrets = SecretSource.none();

  public final Journal journal;
  public final FakeWorld world;

  /** Where the orchestrator gets its hosts; the world unless a test sets a real adapter. */
  public HostFleet fleetPort;

  public Limits limits = new Limits(20, 200, 4, 2, 0.2);
  public int warm = 0;

  /** The standing-copy mode of the orchestrator's configuration. */
  public CopyMode copyMode = FleetConfig.DEFAULT_COPY_MODE;

  /** Where the seeded agents' VMs (and those the world boots) keep their memory. */
  public MemoryBacking vmMemory = MemoryBacking.RAM;

  /** The standby store of the orchestrator's configuration (0: none). */
  public long standbyStoreMiB = FleetConfig.DEFAULT_STANDBY_STORE_MIB;

  /**
   * Makes the worker of each orchestrator's VM removals: by hand ({@link #removals()}) unless a
   * test gives another (real threads, say).
   */
  public Supplier<RemovalWorker> removalWorkers = HandRemovalWorker::new;

  private final AtomicInteger seq = new AtomicInteger();
  private Orchestrator orchestrator;
  private RemovalWorker removalWorker;

  public Rig() {
    this(new InMemoryJournal(), new FakeWorld());
  }

  public Rig(Journal journal, FakeWorld world) {
    this.journal = journal;
    this.world = world.journal(journal::replay);
    this.fleetPort = this.world;
  }

  /** A ready host that the journal and the cloud both know. */
  public String host(PoolKey pool, Market market) {
    String key = "seed-" + seq.incrementAndGet();
    journal.append(new HostLaunchRequested(key, pool, market, HOST_MIB, clock.instant()));
    world.launch(key, new HostOrder(pool, market, HOST_MIB));
    String id =
        world.hosts().values().stream()
            .filter(h -> h.launchKey().equals(key))
            .findFirst()
            .orElseThrow()
            .id();
    journal.append(new HostLaunched(key, id));
    return id;
  }

  /** An agent VM running (online, or busy) on a host, known to journal and hypervisor. */
  public String agent(String hostId, long ramMiB, boolean busy) {
    return namedAgent("seed-agent-" + seq.incrementAndGet(), hostId, ramMiB, busy);
  }

  /** As {@link #agent}, for an agent whose request asks for a standing copy. */
  public String copyAgent(String hostId, long ramMiB, boolean busy) {
    return namedAgent("seed-agent-" + seq.incrementAndGet(), hostId, ramMiB, busy, true);
  }

  /** As {@link #agent} under the given id. */
  public String namedAgent(String id, String hostId, long ramMiB, boolean busy) {
    return namedAgent(id, hostId, ramMiB, busy, false);
  }

  /** As {@link #agent} under the given id, asking for a standing copy or not. */
  public String namedAgent(
      String id, String hostId, long ramMiB, boolean busy, boolean standingCopy) {
    return namedAgent(id, hostId, ramMiB, busy, CopyRequest.ofWish(standingCopy));
  }

  /** As {@link #agent}, whose request says {@code copy} about a standing copy. */
  public String agent(String hostId, long ramMiB, boolean busy, CopyRequest copy) {
    return namedAgent("seed-agent-" + seq.incrementAndGet(), hostId, ramMiB, busy, copy);
  }

  /** As {@link #agent} under the given id, whose request says {@code copy}. */
  public String namedAgent(String id, String hostId, long ramMiB, boolean busy, CopyRequest copy) {
    append(
        new AgentRequested(id, ramMiB, Duration.ofHours(2), null, null, null, null, copy),
        new AgentPlaced(id, hostId),
        new AgentPhaseChanged(id, AgentPhase.BOOTING, clock.instant(), "seed", vmMemory));
    world.boot(id, hostId, ramMiB);
    append(new AgentPhaseChanged(id, AgentPhase.ONLINE, clock.instant(), "seed"));
    if (busy) {
      append(new AgentPhaseChanged(id, AgentPhase.BUSY, clock.instant(), "seed"));
    }
    return id;
  }

  /**
   * A busy 2 GiB agent asking for a standing copy on a new spot host with a new on-demand host
   * beside it, and the plan asking for its standing copy: started and ticked once, so the copy
   * streams to the on-demand host.
   */
  public CopiedAgent startWithACopy() {
    String source = host(States.SPOT_A, Market.SPOT);
    String backup = host(States.OD, Market.ON_DEMAND);
    String agent = copyAgent(source, 2048, true);
    start();
    strategy.standingCopies.add(agent);
    orchestrator.tick();
    return new CopiedAgent(source, backup, agent);
  }

  /** What {@link #startWithACopy} made: the agent, its host and its copy's backup host. */
  public record CopiedAgent(String source, String backup, String agent) {}

  /** An interruption notice (from SQS) for a host, its deadline {@code seconds} from now. */
  public void notice(String hostId, int seconds) {
    world.event(
        new FleetEvent.Notice(
            world.nextEventId(),
            hostId,
            "sqs",
            clock.instant(),
            clock.instant().plusSeconds(seconds)));
  }

  /**
   * A busy 2 GiB agent on a new spot host with a new on-demand host beside it: started, the spot
   * host noticed (deadline in 120 s) and ticked once, so the agent's forced move to the on-demand
   * host runs.
   */
  public MovingAgent startAForcedMove() {
    String source = host(States.SPOT_A, Market.SPOT);
    String destination = host(States.OD, Market.ON_DEMAND);
    String agent = agent(source, 2048, true);
    start();
    notice(source, 120);
    MoveOrder move = orchestrator.tick().forcedStarted().get(0);
    return new MovingAgent(source, destination, agent, move);
  }

  /**
   * What {@link #startAForcedMove} made: the agent, its host, the on-demand host beside it and the
   * move the tick started.
   */
  public record MovingAgent(String source, String destination, String agent, MoveOrder move) {}

  /**
   * A Gone event (from SQS) for a host, which the fake world keeps running: a report that may be
   * wrong.
   */
  public void reportGone(String hostId, String reason) {
    world.event(new FleetEvent.Gone(world.nextEventId(), hostId, "sqs", clock.instant(), reason));
  }

  /** Builds the orchestrator from the journal (replay) and reconciles. */
  public Orchestrator start() {
    orchestrator = create();
    orchestrator.reconcile();
    return orchestrator;
  }

  /**
   * Builds the orchestrator from the journal without reconciling; one built before is closed first
   * (a restart: its VM removals not done are dropped).
   */
  public Orchestrator create() {
    if (orchestrator != null) {
      orchestrator.close();
    }
    world.memory = vmMemory;
    removalWorker = removalWorkers.get();
    orchestrator =
        new Orchestrator(
            clock,
            journal,
            new Orchestrator.Ports(
                fleetPort, world, vms == null ? world : vms, world, strategyPort, secrets),
            new FleetConfig(
                    OFFERS, limits, warm, 0.05, Duration.ofMinutes(30), Duration.ofMinutes(5))
                .withCopyMode(copyMode)
                .withStandbyStoreMiB(standbyStoreMiB),
            ids(),
            removalWorker);
    return orchestrator;
  }

  /** The hand-driven worker of the current orchestrator's VM removals. */
  public HandRemovalWorker removals() {
    if (removalWorker instanceof HandRemovalWorker hand) {
      return hand;
    }
    throw new IllegalStateException("the removals run on " + removalWorker);
  }

  public Orchestrator o() {
    return orchestrator;
  }

  public Ids ids() {
    return prefix -> prefix + "-" + seq.incrementAndGet();
  }

  private void append(JournalRecord... rs) {
    for (JournalRecord r : rs) {
      journal.append(r);
    }
  }
}
