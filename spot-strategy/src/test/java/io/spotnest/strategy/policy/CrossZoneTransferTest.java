package io.spotnest.strategy.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CrossZoneTransferTest {
  private final CrossZoneTransfer aws = new CrossZoneTransfer(0.01);

  @Test
  void oneGiBBetweenZonesCostsTwiceTheEachWayPriceOfItsGigabytes() {
    assertEquals(0.02147483648, aws.usdFor(1), 1e-12);
    assertEquals(0.0, new CrossZoneTransfer(0).usdFor(100), 0);
  }

  @Test
  void inTheOnDemandGiBHourOfAnR5At4Point032UsdPer512GiBOneGiBCostsAbout2Point73() {
    assertEquals(0.02147483648 / (4.032 / 512), aws.costPerGiB(4.032 / 512), 1e-9);
    assertEquals(2.7269, aws.costPerGiB(4.032 / 512), 1e-4);
  }

  @Test
  void aStandingStreamSendsTheDirtyRateEveryHour() {
    assertEquals(450, CrossZoneTransfer.standingStreamGiBPerHour(MigrationAssumptions.DEFAULTS), 0);
  }

  @Test
  void aNegativeOrInfinitePriceIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new CrossZoneTransfer(-0.01));
    assertThrows(
        IllegalArgumentException.class, () -> new CrossZoneTransfer(Double.POSITIVE_INFINITY));
  }
}
