package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * libvirt's dirty-rate calculation on real guests: the stand-in build dirtying 4 and 32 MiB/s over
 * a 64 MiB working set of 256 MiB. Each round takes the engine's readings (five one-second
 * calculations and one of {@value DirtyRateMeter#SPAN_SECONDS} s, then another such with the zero
 * pages sampled while it runs, as the engine does), prints them raw with the rate and working set
 * the engine derives, and checks the derived figures: the rate within a factor of two of the
 * build's, and a working set, when one is reported, no more than 10% below the build's: a smaller
 * one makes the plan optimistic, and issue 8 allows a plan at most 10% optimistic. The reading is a
 * count of about 128 sampled pages with two standard deviations added, so a strict "never below 64
 * MiB" failed by chance (CI of 2026-12-01: 62 MiB, one sample short, after 84 MiB in the same run's
 * first round).
 */
@Tag("lab")
class DirtyRateLabTest {

  private static final long MIB = 1L << 20;

  /** The build's 64 MiB working set less the 10% a plan may be optimistic by. */
  private static final long WORKING_SET_FLOOR = 64 * MIB * 9 / 10;

  @RegisterExtension static final LabFixture lab = new LabFixture(1024);

  @Test
  void the_rate_and_working_set_of_slow_and_fast_guests() {
    List<String> failures = new ArrayList<>();
    for (int dirty : new int[] {4, 32}) {
      String name = "rate-" + dirty;
      lab.startGuest(name, 256, dirty, 64);
      int conn = lab.connectionOf(name);
      lab.awaitStep(conn, 3);
      try (LibvirtHypervisor a = LibvirtHypervisor.connect(lab.endpoint(1))) {
        for (int round = 1; round <= 3; round++) {
          DirtyRateReadings rs = new DirtyRateReadings();
          List<Long> raw = new ArrayList<>();
          long readingFrom = System.nanoTime();
          for (int i = 0; i < 5; i++) {
            DirtyRateReading r = a.dirtyRateMeter().once(name, 1);
            raw.add(r.mibPerSecond());
            rs.add(r);
          }
          // the engine samples zero pages while the longer calculation runs: read it both ways
          long[] nonZero = {0};
          long readingPause = lab.pauseMs(conn, readingFrom, System.nanoTime());
          for (boolean sampling : new boolean[] {false, true}) {
            long spanFrom = System.nanoTime();
            DirtyRateReading span =
                sampling
                    ? a.dirtyRateMeter()
                        .once(
                            name,
                            DirtyRateMeter.SPAN_SECONDS,
                            () -> nonZero[0] = a.nonZeroMemoryBytes(name))
                    : a.dirtyRateMeter().once(name, DirtyRateMeter.SPAN_SECONDS);
            long spanPause = lab.pauseMs(conn, spanFrom, System.nanoTime());
            rs.addSpan(span);
            double rate = rs.bytesPerSecond() / (double) MIB;
            OptionalLong ws = rs.workingSetBytes(256 * MIB);
            System.out.printf(
                Locale.ROOT,
                "dirty-rate: build_mib_s=%d round=%d one_second_mib_s=%s span_%ds_mib_s=%d"
                    + " zero_page_sample_meanwhile=%s rate_mib_s=%.1f working_set_mib=%s"
                    + " changed_in_span_mib=%s pause_ms_one_second_readings=%d pause_ms_span=%d%n",
                dirty,
                round,
                raw,
                DirtyRateMeter.SPAN_SECONDS,
                span.mibPerSecond(),
                sampling ? (nonZero[0] / MIB) + "MiB" : "no",
                rate,
                ws.isPresent() ? Long.toString(ws.getAsLong() / MIB) : "none",
                rs.changedInSpanBytes(256 * MIB).isPresent()
                    ? Long.toString(rs.changedInSpanBytes(256 * MIB).getAsLong() / MIB)
                    : "not counted",
                readingPause,
                spanPause);
            if (rate < dirty / 2.0 || rate > dirty * 2.0) {
              failures.add(dirty + " MiB/s read " + rate + " MiB/s in round " + round);
            }
            if (ws.isPresent() && ws.getAsLong() < WORKING_SET_FLOOR) {
              failures.add(
                  dirty
                      + " MiB/s: working set "
                      + (ws.getAsLong() / MIB)
                      + " MiB, more than 10% below 64 MiB"
                      + (sampling ? " (zero pages sampled meanwhile)" : ""));
            }
          }
        }
        a.remove(name);
      }
    }
    assertTrue(failures.isEmpty(), failures.toString());
  }
}
