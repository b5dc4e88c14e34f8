package io.spotnest.strategy.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpotPriceHistoryReaderTest {
  private final SpotPriceHistoryReader reader = new SpotPriceHistoryReader();

  @Test
  void readsRealDay() {
    List<SpotPricePoint> rows =
        reader.read(SharedTestData.dir().resolve("aws-spot-price-history/2022-05-31.tsv"));
    assertEquals(33362, rows.size());
    SpotPricePoint first = rows.get(0);
    assertEquals("euw3-az2", first.azId());
    assertEquals("g4dn.4xlarge", first.instanceType());
    assertEquals(0.4664, first.usdPerHour(), 1e-9);
    assertEquals(Instant.parse("2022-05-31T18:20:41Z"), first.at());
    assertEquals(55, rows.stream().map(SpotPricePoint::azId).distinct().count());
  }

  @Test
  void malformedRowsNameLineAndField() {
    String ok = "use1-az1\tm5.large\tLinux/UNIX\t0.04\t2022-05-31T00:00:00+00:00\n";
    assertError(
        ok + "use1-az1\tm5.large\tLinux/UNIX\tcheap\t2022-05-31T00:00:00+00:00\n",
        2,
        "spot_price_usd");
    assertError(ok + ok + "use1-az1\tm5.large\tLinux/UNIX\t0.04\tyesterday\n", 3, "timestamp");
    assertError("use1-az1\tm5.large\tLinux/UNIX\t0.04\n", 1, "timestamp");
    assertError("use1-az1\t\tLinux/UNIX\t0.04\t2022-05-31T00:00:00+00:00\n", 1, "instance_type");
    assertError(
        "use1-az1\tm5.large\tLinux/UNIX\t-1\t2022-05-31T00:00:00+00:00\n", 1, "spot_price_usd");
  }

  private void assertError(String text, int line, String field) {
    DataFormatException e =
        assertThrows(
            DataFormatException.class,
            () -> reader.parse("p.tsv", new BufferedReader(new StringReader(text))));
    assertEquals(line, e.line(), e.getMessage());
    assertEquals(field, e.field(), e.getMessage());
  }
}
