package io.spotnest.strategy.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpotAdvisorReaderTest {
  @Test
  void readsRealFeed() {
    SpotAdvisorData d = new SpotAdvisorReader().read(SharedTestData.advisor());
    assertEquals(33, d.linux().size());
    assertEquals(14962, d.poolCount());
    AdvisorEntry r5 = d.entry("us-east-1", "r5.16xlarge").orElseThrow();
    assertTrue(r5.savingPct() > 0 && r5.bucket() >= 0);
    assertEquals(512.0, d.spec("r5.16xlarge").orElseThrow().ramGiB());
    assertEquals(65, d.medianSavingPct());
  }

  @Test
  void malformedEntryNamesFieldPath() {
    String bad =
        "{\"spot_advisor\": {\"us-east-1\": {\"Linux\": {\"m5.large\": {\"s\": 60, \"r\": 7}}}}}";
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> new SpotAdvisorReader().parse("a.json", bad));
    assertEquals("spot_advisor.us-east-1.Linux.m5.large.r", e.field());
    String missing = "{\"spot_advisor\": {\"us-east-1\": {\"Linux\": {\"m5.large\": {\"r\": 1}}}}}";
    assertEquals(
        "spot_advisor.us-east-1.Linux.m5.large.s",
        assertThrows(
                DataFormatException.class, () -> new SpotAdvisorReader().parse("a.json", missing))
            .field());
    assertEquals(
        "spot_advisor",
        assertThrows(DataFormatException.class, () -> new SpotAdvisorReader().parse("a.json", "{}"))
            .field());
  }
}
