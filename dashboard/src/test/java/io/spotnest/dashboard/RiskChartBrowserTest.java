package io.spotnest.dashboard;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The risk chart in headless Chromium draws each pool's risk over time as a line: ticks that come
 * at uneven intervals (the demo's clock runs fast while nothing happens, at wall speed while a move
 * runs) are joined, and a pool's line breaks only where its source says it had no value (a replayed
 * trace's pool without capacity). A pool closed to launches is shaded in its colour from its
 * closure on. Measured on the screenshot's pixels of each pool's colour.
 */
class RiskChartBrowserTest {
  private static final long T0 = 1_681_900_000_000L;
  private static final int BLUE = 0x1565c0; // the page's first pool colour
  private static final int RED = 0xc62828; // its second

  /** Risk 0.5, ticks 1 s apart, then 60 s apart for 20 min, then 1 s apart again. */
  private static PoolRisk unevenTicks() {
    List<RiskPoint> points = new ArrayList<>();
    long t = T0;
    for (int i = 0; i < 10; i++, t += 1_000) {
      points.add(new RiskPoint(t, 0.5));
    }
    for (int i = 0; i < 20; i++, t += 60_000) {
      points.add(new RiskPoint(t, 0.5));
    }
    for (int i = 0; i < 10; i++, t += 1_000) {
      points.add(new RiskPoint(t, 0.5));
    }
    return new PoolRisk("r5.16xlarge@us-east-1b", "us-east-1b", 15, points);
  }

  /** Risk 0.25 every 60 s over the same span, with no value from minute 7 to 14. */
  private static PoolRisk withAGap() {
    List<RiskPoint> points = new ArrayList<>();
    for (long t = T0; t <= T0 + 1_220_000; t += 60_000) {
      if (t < T0 + 420_000 || t > T0 + 840_000) {
        points.add(new RiskPoint(t, 0.25));
      }
    }
    return new PoolRisk("r5.16xlarge@us-east-1c", "us-east-1c", 15, points, 90_000);
  }

  @Test
  void eachPoolsRiskIsALineThatBreaksOnlyWhereItsSourceHadNoValue() throws Exception {
    DashboardSnapshot snapshot =
        new DashboardSnapshot(
            T0 + 1_220_000,
            "test fleet",
            List.of(),
            List.of(),
            List.of(),
            List.of(unevenTicks(), withAGap()),
            List.of(),
            Savings.NONE);
    ChartScreenshot png;
    try (DashboardServer server =
        DashboardServer.start(new FixedSource(snapshot), InetAddress.getByName("127.0.0.1"), 0)) {
      png = ChartScreenshot.of(server.signInUri(), 1000);
    }
    int blue = png.longestRun(BLUE, 60);
    int red = png.longestRun(RED, 60);
    System.out.printf(
        "[risk chart] longest run of a pool's colour: uneven ticks %d px, with a gap %d px"
            + " (window %d px)%n",
        blue, red, png.width());
    assertTrue(
        blue > png.width() / 2,
        "the unevenly ticked pool is one line across the chart: longest run " + blue + " px");
    assertTrue(
        red > blue / 5 && red < blue * 3 / 5,
        "the pool with a gap is two lines, each about a third of the chart: longest run "
            + red
            + " px of "
            + blue);
  }

  @Test
  void aClosedPoolIsShadedInItsColourFromItsClosureToTheChartsEnd() throws Exception {
    PoolRisk blue = unevenTicks();
    long first = blue.points().get(0).atEpochMs();
    long last = blue.points().get(blue.points().size() - 1).atEpochMs();
    long since = (first + last) / 2;
    PoolView closed =
        new PoolView(
            blue.pool(),
            blue.zone(),
            "closed",
            "launch-failed",
            "spot launch failed: InsufficientInstanceCapacity",
            since,
            last + 3_600_000,
            null,
            0.5);
    int plain = measure(blue, PoolView.open(blue.pool(), blue.zone(), 0.5)).shade();
    Measured m = measure(blue, closed);
    int shaded = m.shade();
    int line = m.line();
    System.out.printf(
        "[risk chart] closed pool's shade: %d px wide (open: %d px), its line %d px%n",
        shaded, plain, line);
    // a few pixels of that tint exist elsewhere on the page (anti-aliased text): not a shade
    assertTrue(plain < line / 20, "an open pool is not shaded: " + plain + " px of " + line);
    assertTrue(
        shaded > line * 2 / 5 && shaded < line * 3 / 5,
        "the shade runs from the closure (mid-chart) to the end, about half of the line's "
            + line
            + " px: "
            + shaded
            + " px");
  }

  /**
   * On a screenshot: the widest row of the blue pool's closed shade (its colour at 15% over white)
   * and the longest run of its line.
   */
  private record Measured(int shade, int line) {}

  private static Measured measure(PoolRisk risk, PoolView pool) throws Exception {
    long asOf = risk.points().get(risk.points().size() - 1).atEpochMs();
    DashboardSnapshot snapshot =
        new DashboardSnapshot(
            asOf,
            "test fleet",
            List.of(),
            List.of(),
            List.of(),
            List.of(risk),
            List.of(pool),
            List.of(),
            List.of(),
            Savings.NONE);
    ChartScreenshot png;
    try (DashboardServer server =
        DashboardServer.start(new FixedSource(snapshot), InetAddress.getByName("127.0.0.1"), 0)) {
      png = ChartScreenshot.of(server.signInUri(), 1000);
    }
    return new Measured(png.widestRow(blend(BLUE, 0.15), 10), png.longestRun(BLUE, 60));
  }

  /** {@code rgb} at {@code alpha} over white. */
  private static int blend(int rgb, double alpha) {
    int out = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
      int c = (rgb >> shift) & 0xff;
      out |= (int) Math.round(255 - (255 - c) * alpha) << shift;
    }
    return out;
  }
}
