package io.spotnest.strategy.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Regions of zone names (the traces) and of AWS zone ids (what the orchestrator keys pools by). */
class PoolIdTest {
  @Test
  void zoneNamesAndZoneIdsBothGiveTheirRegion() {
    assertEquals("us-east-1", PoolId.regionOf("us-east-1b"));
    assertEquals("us-central1", PoolId.regionOf("us-central1-a"));
    assertEquals(
        "use1", PoolId.regionOf("use1-az4"), "AWS zone id: same region for every az of use1");
    assertEquals(PoolId.regionOf("use1-az1"), PoolId.regionOf("use1-az3"));
    assertEquals("apne1", PoolId.regionOf("apne1-az2"));
  }
}
