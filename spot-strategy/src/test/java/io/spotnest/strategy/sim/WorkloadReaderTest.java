package io.spotnest.strategy.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spotnest.strategy.data.DataFormatException;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadReaderTest {
  private final WorkloadReader reader = new WorkloadReader();

  @Test
  void readsBuildsSortedByArrival() {
    Workload w =
        reader.parse(
            "w.csv", List.of("# CI", "arrival_min,duration_min,ram_gib", "5,60,16", "0,20,8", ""));
    assertEquals(2, w.builds().size());
    assertEquals(0, w.builds().get(0).arrivalMin());
    assertEquals(16, w.maxRamGiB());
  }

  @Test
  void malformedRowsNameLineAndField() {
    assertError(
        List.of("arrival_min,duration_min,ram_gib", "0,20,8", "1,abc,8"), 3, "duration_min");
    assertError(List.of("arrival_min,duration_min,ram_gib", "0,20,0"), 2, "ram_gib");
    assertError(List.of("arrival_min,duration_min,ram_gib", "-1,20,8"), 2, "arrival_min");
    assertError(List.of("arrival_min,duration_min,ram_gib", "0,20"), 2, "ram_gib");
    assertError(List.of("arrival,duration,ram", "0,20,8"), 1, "header");
    assertError(List.of("arrival_min,duration_min,ram_gib"), 1, "arrival_min");
  }

  private void assertError(List<String> lines, int line, String field) {
    DataFormatException e =
        assertThrows(DataFormatException.class, () -> reader.parse("w.csv", lines));
    assertEquals(line, e.line(), e.getMessage());
    assertEquals(field, e.field(), e.getMessage());
  }
}
