package io.spotnest.strategy.bench;

import io.spotnest.strategy.policy.AgentDecision;
import io.spotnest.strategy.policy.AgentState;
import io.spotnest.strategy.policy.DecisionTick;
import io.spotnest.strategy.policy.HostState;
import io.spotnest.strategy.policy.MigrationAssumptions;
import io.spotnest.strategy.policy.MigrationPolicy;
import io.spotnest.strategy.policy.ParametricMigrationEstimator;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.risk.HazardRiskModel;
import io.spotnest.strategy.signal.HostAge;
import io.spotnest.strategy.signal.InterruptionFrequency;
import io.spotnest.strategy.signal.PoolId;
import io.spotnest.strategy.signal.PoolObserver;
import io.spotnest.strategy.signal.PoolSnapshot;
import io.spotnest.strategy.signal.Reclamation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One decision tick for 10,000 agents on 1,000 spot hosts in 100 pools: snapshot every pool (each
 * with a day of reclamation history), assess its hazard, and decide every agent.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecisionTickBenchmark {
  static final int POOLS = 100;
  static final int HOSTS = 1_000;
  static final int AGENTS = 10_000;

  private final Instant now = Instant.parse("2024-01-02T00:00:00Z");
  private final List<PoolObserver> observers = new ArrayList<>();
  private final List<HostState> hosts = new ArrayList<>();
  private DecisionTick tick;

  @Setup
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(1);
    Instant start = now.minus(Duration.ofDays(1));
    List<PoolId> pools = new ArrayList<>();
    for (int p = 0; p < POOLS; p++) {
      PoolId id = new PoolId("type" + p % 10 + ".large", "zone-" + p / 10 + "a");
      pools.add(id);
      PoolObserver o = new PoolObserver(id);
      o.accept(new InterruptionFrequency(id, start, p % 5));
      o.baselineSpotToOnDemand(0.3);
      int events = rnd.nextInt(20);
      List<Instant> times = new ArrayList<>();
      for (int e = 0; e < events; e++) {
        times.add(start.plusSeconds(rnd.nextLong(86_000)));
      }
      times.sort(null);
      times.forEach(t -> o.accept(new Reclamation(id, t)));
      o.accept(new HostAge(id, now, "h", Duration.ofSeconds(rnd.nextLong(300, 20_000))));
      o.addExposure(Duration.ofHours(20));
      observers.add(o);
    }
    int agentId = 0;
    for (int h = 0; h < HOSTS; h++) {
      List<AgentState> agents = new ArrayList<>();
      for (int a = 0; a < AGENTS / HOSTS; a++) {
        agents.add(
            new AgentState(
                "a" + agentId++,
                8 << rnd.nextInt(4),
                Duration.ofMinutes(rnd.nextInt(180)),
                Duration.ofMinutes(rnd.nextInt(1, 180))));
      }
      hosts.add(new HostState("h" + h, pools.get(h % POOLS), 0.3, agents, Optional.empty()));
    }
    tick =
        new DecisionTick(
            new HazardRiskModel(HazardParameters.DEFAULTS),
            new MigrationPolicy(
                PolicyParameters.DEFAULTS,
                new ParametricMigrationEstimator(MigrationAssumptions.DEFAULTS)));
  }

  @Benchmark
  public List<AgentDecision> decisionTick() {
    Map<PoolId, PoolSnapshot> snapshots = new HashMap<>();
    for (PoolObserver o : observers) {
      snapshots.put(o.pool(), o.snapshot(now));
    }
    List<AgentDecision> d = tick.decide(now, snapshots, hosts, Duration.ofMinutes(3));
    if (d.size() != AGENTS) {
      throw new IllegalStateException("decided " + d.size() + " agents");
    }
    return d;
  }
}
