package io.spotnest.strategy.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CopyModeTest {
  @Test
  void everyModeButOffMayCopyTheAgentsThatAskedOnlyAtRiskThoseLeftToTheFleetNoneTheRefused() {
    Set<CopyMode> copyUnset = EnumSet.of(CopyMode.AT_RISK);
    for (CopyMode mode : CopyMode.values()) {
      assertEquals(mode != CopyMode.OFF, mode.mayCopy(CopyRequest.ASKED), mode + " ASKED");
      assertEquals(copyUnset.contains(mode), mode.mayCopy(CopyRequest.UNSET), mode + " UNSET");
      assertEquals(false, mode.mayCopy(CopyRequest.REFUSED), mode + " REFUSED");
      assertEquals(copyUnset.contains(mode), mode.copiesUnasked(), mode + " copiesUnasked");
    }
  }

  @Test
  void onlyHazardAndAtRiskKeepACopyJustWhereTheExpectedLossPaysForIt() {
    Set<CopyMode> byHazard = EnumSet.of(CopyMode.HAZARD, CopyMode.AT_RISK);
    for (CopyMode mode : CopyMode.values()) {
      assertEquals(byHazard.contains(mode), mode.byHazardOnly(), mode.name());
    }
  }

  @Test
  void theSimulatorsAndTheFleetsModesAreOneSet() {
    assertEquals(
        "[OFF, HAZARD, ALWAYS, AFFORDABLE, AT_RISK]", java.util.Arrays.toString(CopyMode.values()));
  }
}
