package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The stream's rate from its progress reports, set-up excluded. */
class StreamRateTest {

  private static final long MIB = 1L << 20;

  private static MigrationProgress at(long millis, long memoryMib, long diskMib, boolean postCopy) {
    return new MigrationProgress(
        Duration.ofMillis(millis), memoryMib * MIB, 0, diskMib * MIB, 0, 0, 1, postCopy);
  }

  @Test
  void bytes_between_the_first_report_that_sent_anything_and_the_last_over_their_time() {
    StreamRate r = new StreamRate();
    MigrationListener seen = r.tee(MigrationListener.NONE);
    seen.onProgress(at(300, 0, 0, false)); // set-up: nothing sent yet
    seen.onProgress(at(2000, 0, 4, false));
    seen.onProgress(at(4000, 16, 4, false));
    seen.onProgress(at(6000, 36, 4, false));
    seen.onProgress(at(6500, 40, 4, true)); // post-copy pulls are not the stream's rate
    assertEquals(9.0 * MIB, r.bytesPerSecond().orElseThrow(), 1);
  }

  @Test
  void under_a_second_of_reports_measures_nothing() {
    StreamRate r = new StreamRate();
    assertEquals(Optional.empty(), r.bytesPerSecond());
    r.onProgress(at(2000, 1, 4, false));
    r.onProgress(at(2500, 5, 4, false));
    assertEquals(Optional.empty(), r.bytesPerSecond());
  }
}
