package io.spotnest.dashboard;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The migration timeline in headless Chromium: its time axis covers the migrations, so each one's
 * bar is as wide as its share of that time (a bar chart's value axis starts at zero by default,
 * which put 1970 on the axis and left the bars without width). Measured on the screenshot's pixels
 * of the bars' colour.
 */
class MigrationChartBrowserTest {
  private static final long T0 = 1_681_900_000_000L;
  private static final int MIGRATING = 0x90caf9; // the page's bar colour for a whole migration

  @Test
  void eachMigrationIsABarAsLongAsItsShareOfTheTimeline() throws Exception {
    DashboardSnapshot snapshot =
        new DashboardSnapshot(
            T0 + 900_000,
            "test fleet",
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(
                new MigrationView("a1", "h1", "h2", T0, 71_249, 606, "risk: leave early"),
                new MigrationView("a1", "h2", "h3", T0 + 750_000, 80_643, 550, "move back")),
            Savings.NONE);
    ChartScreenshot png;
    try (DashboardServer server =
        DashboardServer.start(new FixedSource(snapshot), InetAddress.getByName("127.0.0.1"), 0)) {
      png = ChartScreenshot.of(server.signInUri(), 1400);
    }
    int bar = png.longestRun(MIGRATING, 40);
    System.out.printf(
        "[migration chart] longest bar: %d px (window %d px; each move is about 1/10 of the"
            + " timeline)%n",
        bar, png.width());
    assertTrue(bar > 80, "a 71-80 s migration in a 14-minute timeline is a visible bar: " + bar);
  }
}
