package io.spotnest.strategy.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.strategy.data.CapacityTraceReader;
import io.spotnest.strategy.data.SharedTestData;
import io.spotnest.strategy.data.SpotAdvisorReader;
import io.spotnest.strategy.fleet.CopyMode;
import io.spotnest.strategy.policy.MigrationPolicy;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.ExponentialHazard;
import io.spotnest.strategy.risk.HazardParameters;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarmSparesTest {
  private static final SimConfig CONFIG = SimConfig.DEFAULTS;
  private static final PoolMarket POOL =
      new MarketBuilder(
              new SpotAdvisorReader().read(SharedTestData.advisor()), HazardParameters.DEFAULTS, 42)
          .build(new CapacityTraceReader().read(SharedTestData.aws("us-east-1d")));
  private static final ExponentialHazard CALM = new ExponentialHazard(0, 0, 1, 10, 0, 1, -1);
  private static final ExponentialHazard STORMY = new ExponentialHazard(5, 0, 1, 10, 0, 1, -1);

  private final Simulator sim = new Simulator(CONFIG, List.of(POOL));
  private final TrueLengths lengths = new TrueLengths();
  private final Fleet fleet = fleet();
  private final Market market = new Market(POOL, CONFIG, () -> fleet.now);

  private Fleet fleet() {
    Fleet f =
        new Fleet(CONFIG, POOL.hostRamGiB(), POOL.trace().pool().zone(), Double.NaN, p -> true);
    f.lengths = new BuildLengthEstimate(lengths);
    return f;
  }

  private final WarmSpares spares =
      new WarmSpares(PolicyParameters.DEFAULTS, sim.estimator(), CONFIG, 110);

  /** A ready spot host of the pool carrying builds of the given sizes, each one hour in. */
  private SimHost spotHost(double... ramGiB) {
    SimHost h =
        new SimHost(
            "spot-test-" + fleet.hosts.size(),
            market.view,
            market.view.zone(),
            POOL.hostRamGiB() - CONFIG.hostOverheadGiB(),
            POOL.hostRamGiB() * POOL.spotToOnDemand(),
            fleet.now,
            fleet.now);
    fleet.hosts.add(h);
    for (double r : ramGiB) {
      fleet.start(lengths.add(new Build(fleet.agents.size(), 0, 180, r)), h).progressSeconds = 3600;
    }
    return h;
  }

  private SimContext context() {
    return new SimContext(fleet, List.of(market.view), sim.estimator(), CONFIG);
  }

  @Test
  void sparesCoverOnlyWhatANoticeCanSaveAndOnlyWhenTheHazardPaysForThem() {
    SimHost h = spotHost(8, 16, 64, 64, 64, 64);
    assertEquals(
        0, spares.wantedGiB(fleet, List.of(h), CALM, false), "a calm pool is not worth a spare");
    // two streams share the 10 Gbit/s link (2 x 349 MiB/s net): in 110 s about 75 GiB leave, so the
    // 8 and 16 GiB
    // agents (35 s) fit and the next 64 GiB one (another 94 s) does not
    double wanted = spares.wantedGiB(fleet, List.of(h), STORMY, false);
    assertEquals(24, wanted, 1e-9);
    assertEquals(
        wanted,
        spares.wantedGiB(fleet, List.of(h), CALM, true),
        "ALWAYS ignores the hazard, not the window");
  }

  @Test
  void keepLaunchesPaidSparesThatTakeNoNewBuildsAndReleasesThem() {
    spares.keep(fleet, 88, "us-east-1d");
    List<SimHost> kept = fleet.alive().stream().filter(SimHost::spare).toList();
    assertEquals(1, kept.size());
    SimHost spare = kept.get(0);
    assertTrue(spare.freeGiB() >= 88);
    assertFalse(spare.spot());
    assertTrue(spare.ratePerHour >= 88, "billed like an on-demand host of its size");
    assertEquals(
        CONFIG.launchSeconds(), spare.readyAt - fleet.now, "a spare takes the launch time too");
    fleet.now = spare.readyAt;
    assertTrue(fleet.place(lengths.add(new Build(1, 0, 60, 16)), null, false));
    assertEquals(0, spare.reservedGiB, 1e-9, "a new build went onto the spare");
    spares.keep(fleet, 0, "us-east-1d");
    assertFalse(spare.terminated, "kept at least the idle timeout");
    fleet.now = spare.launchedAt + CONFIG.idleSeconds();
    spares.keep(fleet, 0, "us-east-1d");
    assertTrue(spare.terminated);
  }

  @Test
  void withAReadySpareANoticedAgentStartsLeavingAtOnceWithoutItNoEvacuationCanMakeIt() {
    SimHost spare = fleet.launchSpare(60, "us-east-1d");
    fleet.now = spare.readyAt;
    SimHost host = spotHost(16);
    host.notice(fleet.now + CONFIG.noticeSeconds());
    new RiskAware(
            HazardParameters.DEFAULTS,
            PolicyParameters.DEFAULTS,
            sim.estimator(),
            CONFIG,
            OursOptions.DEFAULTS)
        .onNotice(host, context());
    Migration m = host.agents.get(0).migration;
    assertNotNull(m, "the agent should leave on the notice");
    assertSame(spare, m.to);
    assertTrue(m.to.ready(fleet.now), "no launch wait");
    assertFalse(spare.spare(), "a used spare becomes an ordinary on-demand host");

    Fleet bare = fleet();
    bare.now = spare.readyAt;
    SimHost lone =
        new SimHost("spot-lone", market.view, "us-east-1d", 508, 100, bare.now, bare.now);
    bare.hosts.add(lone);
    SimAgent a = bare.start(lengths.add(new Build(9, 0, 180, 16)), lone);
    lone.notice(bare.now + CONFIG.noticeSeconds());
    new RiskAware(
            HazardParameters.DEFAULTS,
            PolicyParameters.DEFAULTS,
            sim.estimator(),
            CONFIG,
            OursOptions.DEFAULTS)
        .onNotice(lone, new SimContext(bare, List.of(market.view), sim.estimator(), CONFIG));
    assertNull(a.migration, "a 3-minute launch cannot beat a 2-minute notice");
  }

  @Test
  void burstDrainEvacuatesThePoolsOtherHostsOnTheFirstNotice() {
    fleet.launchSpare(120, "us-east-1d");
    fleet.now = CONFIG.launchSeconds();
    SimHost noticed = spotHost(8);
    SimHost other = spotHost(16, 32);
    noticed.notice(fleet.now + CONFIG.noticeSeconds());
    new RiskAware(
            HazardParameters.DEFAULTS,
            PolicyParameters.DEFAULTS,
            sim.estimator(),
            CONFIG,
            new OursOptions(OursOptions.SpareMode.OFF, false))
        .onNotice(noticed, context());
    assertFalse(other.cordoned, "without burst drain only the noticed host acts");
    assertTrue(other.agents.stream().allMatch(a -> a.migration == null));
    new RiskAware(
            HazardParameters.DEFAULTS,
            PolicyParameters.DEFAULTS,
            sim.estimator(),
            CONFIG,
            OursOptions.DEFAULTS)
        .onNotice(noticed, context());
    assertTrue(other.cordoned);
    assertTrue(
        other.agents.stream().allMatch(a -> a.migration != null),
        "the burst's next victims leave early");
  }

  /** On-demand only, plus one warm spare launched at the start and kept to the end. */
  private static final class OnDemandWithSpare implements Strategy {
    SimHost spare;

    @Override
    public String name() {
      return "on-demand + spare";
    }

    @Override
    public SpotPool choosePool(BuildRequest build, SimContext ctx) {
      return null;
    }

    @Override
    public void onTick(SimContext ctx) {
      if (spare == null) {
        spare = ctx.fleet().launchSpare(60, "us-east-1d");
      }
    }
  }

  @Test
  void aSpareIsBilledForEveryMinuteItIsKept() {
    Workload w = new WorkloadGenerator().generate(42, 12, 600, 64);
    SimResult plain = sim.run(new OnDemandOnly(), w);
    OnDemandWithSpare withSpare = new OnDemandWithSpare();
    SimResult paid = sim.run(withSpare, w);
    double spareCost = withSpare.spare.ratePerHour * sim.lengthSeconds() / 3600.0;
    assertEquals(
        plain.cost() + spareCost,
        paid.cost(),
        withSpare.spare.ratePerHour * CONFIG.tickSeconds() / 3600.0);
    assertEquals(plain.completed(), paid.completed());
    assertFalse(withSpare.spare.terminated, "an idle spare is not retired by the idle timeout");
  }

  @Test
  void onASmallHostPoolSparesCutRestartsAtACostAndTheOracleStaysTheBound() {
    Simulator v100 = SmallV100Pool.simulator(CONFIG);
    Workload w = SmallV100Pool.workload(v100);
    SimResult off =
        v100.run(
            new RiskAware(
                HazardParameters.DEFAULTS,
                PolicyParameters.DEFAULTS,
                v100.estimator(),
                CONFIG,
                OursOptions.NONE),
            w);
    SimResult always =
        v100.run(
            new RiskAware(
                HazardParameters.DEFAULTS,
                PolicyParameters.DEFAULTS,
                v100.estimator(),
                CONFIG,
                new OursOptions(OursOptions.SpareMode.ALWAYS, true, CopyMode.OFF)),
            w);
    SimResult oracle =
        v100.run(new Oracle(new MigrationPolicy(PolicyParameters.DEFAULTS, v100.estimator())), w);
    assertTrue(
        always.buildsRestarted() < off.buildsRestarted() / 2,
        "spares: " + always.buildsRestarted() + " restarts, none: " + off.buildsRestarted());
    assertTrue(always.cost() > off.cost(), "spares are paid for");
    assertTrue(oracle.cost() <= always.cost() && oracle.cost() <= off.cost());
    assertEquals(0, oracle.buildsRestarted());
    assertEquals(w.builds().size(), always.completed() + always.incomplete());
  }
}
