package io.spotnest.dashboard;

import io.spotnest.testbed.browser.HeadlessChromium;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import javax.imageio.ImageIO;

/** A dashboard page as headless Chromium draws it, measured on its pixels. */
final class ChartScreenshot {
  private final BufferedImage image;

  private ChartScreenshot(BufferedImage image) {
    this.image = image;
  }

  /** The top {@code height} px of {@code page}, 1400 px wide, 5 s after it was opened. */
  static ChartScreenshot of(URI page, int height) throws Exception {
    try (HeadlessChromium chromium =
        HeadlessChromium.start("the chart's browser test cannot run")) {
      chromium.open(page, 1400, 0);
      chromium.runFor(5_000);
      return new ChartScreenshot(
          ImageIO.read(new ByteArrayInputStream(chromium.screenshot(height))));
    }
  }

  int width() {
    return image.getWidth();
  }

  /**
   * The longest horizontal run, over every row, of pixels within {@code tolerance} (a distance in
   * RGB space) of {@code rgb}.
   */
  int longestRun(int rgb, int tolerance) {
    int best = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      int run = 0;
      for (int x = 0; x < image.getWidth(); x++) {
        run = near(image.getRGB(x, y), rgb, tolerance) ? run + 1 : 0;
        best = Math.max(best, run);
      }
    }
    return best;
  }

  /**
   * The most pixels within {@code tolerance} of {@code rgb} in one row (not necessarily
   * contiguous), over every row.
   */
  int widestRow(int rgb, int tolerance) {
    int best = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      int n = 0;
      for (int x = 0; x < image.getWidth(); x++) {
        n += near(image.getRGB(x, y), rgb, tolerance) ? 1 : 0;
      }
      best = Math.max(best, n);
    }
    return best;
  }

  private static boolean near(int a, int b, int tolerance) {
    int dr = ((a >> 16) & 0xff) - ((b >> 16) & 0xff);
    int dg = ((a >> 8) & 0xff) - ((b >> 8) & 0xff);
    int db = (a & 0xff) - (b & 0xff);
    return dr * dr + dg * dg + db * db < tolerance * tolerance;
  }
}
