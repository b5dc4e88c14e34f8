package io.spotnest.strategy.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.strategy.signal.PoolId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapacityTraceReaderTest {
  private final CapacityTraceReader reader = new CapacityTraceReader();

  @Test
  void readsRealPreemptionTraceWithPoolFromName() {
    CapacityTrace t = reader.read(SharedTestData.aws("us-east-1b"));
    assertEquals(new PoolId("r5.16xlarge", "us-east-1b"), t.pool());
    assertEquals("us-east-1", t.pool().region());
    assertEquals(34, t.gapSeconds());
    assertEquals(16090, t.ticks());
    assertEquals(66, t.reclamationTicks().size());
    assertEquals(Instant.parse("2023-04-19T00:00:00Z"), t.start());
  }

  @Test
  void readsEveryRealTraceInTheSharedData() throws Exception {
    try (var files = Files.walk(SharedTestData.dir().resolve("skypilot-spot-traces"))) {
      long n =
          files
              .filter(p -> p.toString().endsWith(".json"))
              .peek(
                  p -> {
                    CapacityTrace t = reader.read(p);
                    assertTrue(t.ticks() > 100, p.toString());
                  })
              .count();
      assertEquals(27, n);
    }
  }

  @Test
  void mapsGpuAndGcpNames() {
    assertEquals(
        "p3.2xlarge",
        TraceNames.poolOf(Path.of("us-east-1a_v100_1.json")).orElseThrow().instanceType());
    PoolId gcp = TraceNames.poolOf(Path.of("us-central1-a_c3-88.json")).orElseThrow();
    assertEquals("c3-highcpu-88", gcp.instanceType());
    assertEquals("us-central1", gcp.region());
  }

  @Test
  void malformedCountNamesIndexAndLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("us-east-1b_intel_64.json");
    Files.writeString(f, "{\"metadata\": {\"gap_seconds\": 30},\n \"data\": [1,\n 1,\n \"x\", 0]}");
    DataFormatException e = assertThrows(DataFormatException.class, () -> reader.read(f));
    assertEquals("data[2]", e.field());
    assertEquals(4, e.line());
  }

  @Test
  void missingOrBadGapIsNamed(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("us-east-1b_intel_64.json");
    Files.writeString(f, "{\"metadata\": {}, \"data\": [1, 0]}");
    assertEquals(
        "metadata.gap_seconds",
        assertThrows(DataFormatException.class, () -> reader.read(f)).field());
    Files.writeString(f, "{\"metadata\": {\"gap_seconds\": 30}, \"data\": [1, -1]}");
    assertEquals("data[1]", assertThrows(DataFormatException.class, () -> reader.read(f)).field());
    Files.writeString(f, "{\"metadata\": {\"gap_seconds\": 30}}");
    assertEquals("data", assertThrows(DataFormatException.class, () -> reader.read(f)).field());
  }

  @Test
  void unknownFileNameNeedsExplicitPool(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("trace.json");
    Files.writeString(f, "{\"metadata\": {\"gap_seconds\": 30}, \"data\": [1, 0, 1]}");
    assertEquals(
        "file name", assertThrows(DataFormatException.class, () -> reader.read(f)).field());
    CapacityTrace t = reader.read(f, new PoolId("m5.large", "eu-west-1a"));
    assertEquals(1, t.reclamationTicks().size());
  }
}
