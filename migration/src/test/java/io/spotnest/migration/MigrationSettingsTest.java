package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Each {@code withX} of {@link MigrationSettings} changes its own setting and no other. */
class MigrationSettingsTest {

  @Test
  void eachWithChangesItsOwnSettingAndKeepsTheOthers() throws Exception {
    assertOnlyChanged(
        "maxDowntime", Duration.ofMillis(700), s -> s.withMaxDowntime(Duration.ofMillis(700)));
    assertOnlyChanged("bandwidthMiBps", 42L, s -> s.withBandwidthMiBps(42));
    assertOnlyChanged("autoConverge", false, s -> s.withAutoConverge(false));
    assertOnlyChanged(
        "compression",
        MigrationSettings.Compression.XBZRLE,
        s -> s.withCompression(MigrationSettings.Compression.XBZRLE));
    PostCopyPolicy after5s = PostCopyPolicy.after(Duration.ofSeconds(5));
    assertOnlyChanged("postCopy", after5s, s -> s.withPostCopy(after5s));
    assertOnlyChanged("copyStorage", false, s -> s.withCopyStorage(false));
    assertOnlyChanged(
        "pollInterval", Duration.ofMillis(40), s -> s.withPollInterval(Duration.ofMillis(40)));
  }

  @Test
  void aWithIsCheckedLikeTheConstructor() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MigrationSettings.defaults().withPollInterval(Duration.ofMillis(5)));
    assertEquals(
        "migration setting pollInterval must be 10 ms..10 s, was PT0.005S", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> MigrationSettings.defaults().withMaxDowntime(Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class, () -> MigrationSettings.defaults().withBandwidthMiBps(-1));
  }

  /**
   * On the defaults, {@code with} gives {@code component} the (non-default) {@code value} and every
   * other component its default.
   */
  private static void assertOnlyChanged(
      String component, Object value, UnaryOperator<MigrationSettings> with) throws Exception {
    MigrationSettings before = MigrationSettings.defaults();
    MigrationSettings after = with.apply(before);
    boolean found = false;
    for (RecordComponent rc : MigrationSettings.class.getRecordComponents()) {
      Object was = rc.getAccessor().invoke(before);
      Object is = rc.getAccessor().invoke(after);
      if (rc.getName().equals(component)) {
        found = true;
        assertNotEquals(was, value, component + ": the test's value is the default");
        assertEquals(value, is, component);
      } else {
        assertEquals(was, is, rc.getName() + " changed by the with of " + component);
      }
    }
    assertTrue(found, "no setting " + component);
  }
}
