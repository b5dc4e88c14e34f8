package io.spotnest.orchestrator.placement;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.model.StandingCopy;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A standing copy's stream holds a slot on its source, its backup and their link. */
class MigrationSlotsTest {
  private static final Limits ONE_PER_HOST = new Limits(20, 200, 1, 1, 0.2);
  private final StandingCopy copy = new StandingCopy("c1", "a1", "src", "bak", Instant.EPOCH);

  @Test
  void aCopyTakesItsStreamsSlotsAndReleasingTheCopyGivesThemBack() {
    MigrationSlots slots = MigrationSlots.of(List.of(), List.of(), ONE_PER_HOST);

    slots.takeFor(copy);
    assertFalse(slots.hostFree("src"));
    assertFalse(slots.hostFree("bak"));

    slots.release(copy);
    assertTrue(slots.free("src", "bak"));
  }

  @Test
  void aCopyWithoutAFreeSlotIsRefusedLoudlyNeverCountedTwice() {
    MigrationSlots slots = MigrationSlots.of(List.of(), List.of(copy), ONE_PER_HOST);

    StandingCopy other = new StandingCopy("c2", "a2", "src", "bak2", Instant.EPOCH);
    assertThrows(IllegalStateException.class, () -> slots.takeFor(other));
    assertTrue(slots.hostFree("bak2"), "nothing taken on the refused copy's backup");
  }
}
