package io.spotnest.dashboard;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.testbed.browser.HeadlessChromium;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import javax.imageio.ImageIO;
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
    BufferedImage png;
    try (DashboardServer server =
        DashboardServer.start(new FixedSource(snapshot), InetAddress.getByName("127.0.0.1"), 0)) {
      png = ImageIO.read(new ByteArrayInputStream(screenshot(server.signInUri(), 1400)));
    }
    int bar = longestRun(png, MIGRATING);
    System.out.printf(
        "[migration chart] longest bar: %d px (window %d px; each move is about 1/10 of the"
            + " timeline)%n",
        bar, png.getWidth());
    assertTrue(bar > 80, "a 71-80 s migration in a 14-minute timeline is a visible bar: " + bar);
  }

  /** The longest horizontal run of pixels of about {@code rgb}, over every row. */
  private static int longestRun(BufferedImage img, int rgb) {
    int best = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      int run = 0;
      for (int x = 0; x < img.getWidth(); x++) {
        run = near(img.getRGB(x, y), rgb) ? run + 1 : 0;
        best = Math.max(best, run);
      }
    }
    return best;
  }

  private static boolean near(int a, int b) {
    int dr = ((a >> 16) & 0xff) - ((b >> 16) & 0xff);
    int dg = ((a >> 8) & 0xff) - ((b >> 8) & 0xff);
    int db = (a & 0xff) - (b & 0xff);
    return dr * dr + dg * dg + db * db < 40 * 40;
  }

  private static byte[] screenshot(URI page, int height) throws Exception {
    try (HeadlessChromium chromium =
        HeadlessChromium.start("the chart's browser test cannot run")) {
      chromium.open(page, 1400, 0);
      chromium.runFor(5_000);
      return chromium.screenshot(height);
    }
  }
}
