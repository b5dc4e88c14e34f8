package io.spotnest.strategy.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.strategy.signal.HostAge;
import io.spotnest.strategy.signal.InterruptionFrequency;
import io.spotnest.strategy.signal.InterruptionNotice;
import io.spotnest.strategy.signal.OnDemandPrice;
import io.spotnest.strategy.signal.PoolId;
import io.spotnest.strategy.signal.PoolObserver;
import io.spotnest.strategy.signal.RebalanceRecommendation;
import io.spotnest.strategy.signal.Reclamation;
import io.spotnest.strategy.signal.SpotPrice;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class HazardRiskModelTest {
  private static final PoolId POOL = new PoolId("r5.16xlarge", "us-east-1b");
  private static final Instant T0 = Instant.parse("2023-04-19T00:00:00Z");
  private static final Instant NOW = T0.plus(Duration.ofHours(10));
  private final HazardRiskModel model = new HazardRiskModel(HazardParameters.DEFAULTS);

  private Hazard hazard(int bucket, Consumer<PoolObserver> more) {
    PoolObserver o = new PoolObserver(POOL);
    o.accept(new InterruptionFrequency(POOL, T0, bucket));
    o.baselineSpotToOnDemand(0.3);
    o.addExposure(Duration.ofHours(10));
    more.accept(o);
    return model.assess(o.snapshot(NOW));
  }

  @Test
  void probabilityIsMonotoneInHorizonAndBounded() {
    Hazard h = hazard(4, o -> o.accept(new Reclamation(POOL, NOW.minus(Duration.ofMinutes(20)))));
    double prev = 0;
    for (int m = 0; m <= 600; m += 5) {
      double p = h.probabilityWithin(Duration.ofMinutes(m));
      assertTrue(p >= prev && p >= 0 && p <= 1, "p(" + m + ")=" + p);
      prev = p;
    }
    assertTrue(h.p5() < h.p15() && h.p15() < h.p60());
  }

  @Test
  void higherBucketMeansHigherRisk() {
    assertTrue(hazard(0, o -> {}).p60() < hazard(2, o -> {}).p60());
    assertTrue(hazard(2, o -> {}).p60() < hazard(4, o -> {}).p60());
  }

  @Test
  void recentReclamationsRaiseRiskAndDecay() {
    double none = hazard(2, o -> {}).p15();
    double recent =
        hazard(2, o -> o.accept(new Reclamation(POOL, NOW.minus(Duration.ofMinutes(5))))).p15();
    double old =
        hazard(2, o -> o.accept(new Reclamation(POOL, NOW.minus(Duration.ofHours(6))))).p15();
    double burst =
        hazard(
                2,
                o -> {
                  o.accept(new Reclamation(POOL, NOW.minus(Duration.ofMinutes(8))));
                  o.accept(new Reclamation(POOL, NOW.minus(Duration.ofMinutes(5))));
                })
            .p15();
    assertTrue(recent > old && old > none, none + " " + old + " " + recent);
    assertTrue(burst > recent);
  }

  @Test
  void youngHostsAreRiskier() {
    double young =
        hazard(
                3,
                o ->
                    o.accept(
                        new HostAge(POOL, NOW.minus(Duration.ofMinutes(2)), "h", Duration.ZERO)))
            .p15();
    double aged =
        hazard(
                3,
                o ->
                    o.accept(new HostAge(POOL, NOW.minus(Duration.ofHours(5)), "h", Duration.ZERO)))
            .p15();
    assertTrue(young > aged);
  }

  @Test
  void pricePressureAndRebalanceRaiseRisk() {
    double calm =
        hazard(
                2,
                o -> {
                  o.accept(new SpotPrice(POOL, T0, 0.3));
                  o.accept(new OnDemandPrice(POOL, T0, 1.0));
                })
            .p60();
    double pressed =
        hazard(
                2,
                o -> {
                  o.accept(new SpotPrice(POOL, T0, 0.6));
                  o.accept(new OnDemandPrice(POOL, T0, 1.0));
                })
            .p60();
    double rebalance =
        hazard(2, o -> o.accept(new RebalanceRecommendation(POOL, NOW.minusSeconds(60), "h")))
            .p60();
    assertTrue(pressed > calm);
    assertTrue(rebalance > hazard(2, o -> {}).p60());
  }

  @Test
  void noticeMakesReclamationCertainByItsDeadline() {
    Hazard h =
        hazard(
            0,
            o ->
                o.accept(
                    new InterruptionNotice(POOL, NOW.minusSeconds(30), "h", NOW.plusSeconds(90))));
    assertEquals(1.0, h.probabilityWithin(Duration.ofMinutes(2)));
    assertTrue(h.probabilityWithin(Duration.ofSeconds(60)) < 1);
  }

  @Test
  void observedReclamationsMoveTheBaseRateFromThePrior() {
    Hazard quiet = hazard(4, o -> o.addExposure(Duration.ofHours(200)));
    Hazard busy =
        hazard(
            4,
            o -> {
              for (int i = 0; i < 50; i++) {
                o.accept(new Reclamation(POOL, T0.plus(Duration.ofMinutes(5 * i))));
              }
              o.addExposure(Duration.ofHours(100));
            });
    assertTrue(busy.p60() > 10 * quiet.p60(), quiet.p60() + " vs " + busy.p60());
  }
}
