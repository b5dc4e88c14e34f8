package io.spotnest.orchestrator.bench;

import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.adapter.strategy.PolicyRiskStrategy;
import io.spotnest.orchestrator.journal.InMemoryJournal;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPhaseChanged;
import io.spotnest.orchestrator.journal.JournalRecord.AgentPlaced;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.journal.JournalRecord.HostLaunchRequested;
import io.spotnest.orchestrator.journal.JournalRecord.HostLaunched;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.placement.Limits;
import io.spotnest.orchestrator.port.HostOrder;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.port.ObservedHost;
import io.spotnest.orchestrator.tick.FleetConfig;
import io.spotnest.orchestrator.tick.Ids;
import io.spotnest.orchestrator.tick.TickReport;
import io.spotnest.strategy.policy.MigrationAssumptions;
import io.spotnest.strategy.policy.MigrationPolicy;
import io.spotnest.strategy.policy.ParametricMigrationEstimator;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.risk.HazardRiskModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One orchestrator tick for 10,000 busy agents on 1,000 hosts (900 spot in 90 pools, 100
 * on-demand), with the real spot-strategy model and policy behind the RiskStrategy port and the
 * hosts and the migration engine stubbed at their ports: cloud listing, events, quotes, move
 * outcomes, strategy, both lanes, placement, launches, retirement.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OrchestratorTickBenchmark {
  static final int HOSTS = 1_000;
  static final int SPOT_HOSTS = 900;
  static final int POOLS = 90;
  static final int AGENTS = 10_000;
  static final long HOST_MIB = 128 * 1024;

  private Orchestrator orchestrator;

  @Setup
  public void setUp() {
    Instant now = Instant.parse("2026-03-01T12:00:00Z");
    SplittableRandom rnd = new SplittableRandom(1);
    StubWorld world = new StubWorld();
    InMemoryJournal journal = new InMemoryJournal();
    List<PoolKey> pools = new ArrayList<>();
    for (int p = 0; p < POOLS; p++) {
      PoolKey k = new PoolKey("type" + p % 9 + ".4xlarge", "use1-az" + p / 9);
      pools.add(k);
      world.quotes.add(
          new MarketQuote(
              k, now.minusSeconds(60), 0.2 + rnd.nextDouble(0.2), 1.0, OptionalInt.of(p % 3)));
    }
    PoolKey od = new PoolKey("type0.4xlarge", "use1-az0");
    List<String> hostIds = new ArrayList<>();
    for (int h = 0; h < HOSTS; h++) {
      boolean spot = h < SPOT_HOSTS;
      PoolKey pool = spot ? pools.get(h % POOLS) : od;
      Market market = spot ? Market.SPOT : Market.ON_DEMAND;
      String id = "i-" + h;
      journal.append(new HostLaunchRequested("k-" + h, pool, market, HOST_MIB, now));
      journal.append(new HostLaunched("k-" + h, id));
      world.hosts.add(new ObservedHost(id, "k-" + h, pool, market, HOST_MIB, true));
      hostIds.add(id);
    }
    for (int a = 0; a < AGENTS; a++) {
      String id = "agent-" + a;
      String host = hostIds.get(a / (AGENTS / HOSTS));
      journal.append(
          new AgentRequested(
              id, 1024L << rnd.nextInt(4), Duration.ofMinutes(rnd.nextInt(10, 180)), null));
      journal.append(new AgentPlaced(id, host));
      journal.append(new AgentPhaseChanged(id, AgentPhase.BOOTING, now, "bench"));
      journal.append(new AgentPhaseChanged(id, AgentPhase.ONLINE, now, "bench"));
      journal.append(
          new AgentPhaseChanged(
              id, AgentPhase.BUSY, now.minusSeconds(rnd.nextLong(3600)), "bench"));
      world.runningOn.put(id, host);
    }
    List<HostOrder> offers =
        List.of(
            new HostOrder(pools.get(0), Market.SPOT, HOST_MIB),
            new HostOrder(od, Market.ON_DEMAND, HOST_MIB));
    FleetConfig config =
        new FleetConfig(
            offers,
            new Limits(1_200, 12_000, 2, 1, 0.2),
            0,
            0.05,
            Duration.ofMinutes(30),
            Duration.ofMinutes(5));
    PolicyRiskStrategy strategy =
        new PolicyRiskStrategy(
            new HazardRiskModel(HazardParameters.DEFAULTS),
            new MigrationPolicy(
                PolicyParameters.DEFAULTS,
                new ParametricMigrationEstimator(MigrationAssumptions.DEFAULTS)),
            Duration.ZERO,
            0.35);
    AtomicLong seq = new AtomicLong();
    Ids ids = prefix -> prefix + "-" + seq.incrementAndGet();
    orchestrator =
        new Orchestrator(
            Clock.fixed(now, ZoneOffset.UTC),
            journal,
            new Orchestrator.Ports(world, world, world, world, strategy),
            config,
            ids);
    orchestrator.reconcile();
    TickReport first = orchestrator.tick();
    System.err.printf(
        "first tick: synced=%s forced=%d voluntary=%d launched=%d agents=%d%n",
        first.synced(),
        first.forcedStarted().size(),
        first.voluntaryStarted().size(),
        first.hostsLaunched(),
        orchestrator.state().liveAgents());
  }

  @TearDown
  public void tearDown() {
    orchestrator.close(); // stops its VM removal worker
  }

  @Benchmark
  public TickReport tick() {
    TickReport r = orchestrator.tick();
    if (!r.synced()) {
      throw new IllegalStateException("the stubbed world should agree with the journal");
    }
    return r;
  }
}
