package io.spotnest.migration;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * Measures how fast a running guest dirties its memory, with QEMU's page-sampling dirty-rate
 * calculation ({@code calc-dirty-rate} / {@code query-dirty-rate} through libvirt's monitor
 * pass-through).
 */
final class DirtyRateMeter {

  private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([a-z-]+)\"");
  private static final Pattern RATE = Pattern.compile("\"dirty-rate\"\\s*:\\s*(\\d+)");

  /** Dirty bytes per second over a window of {@code window} (whole seconds, at least 1). */
  long measure(Domain domain, Duration window) {
    long seconds = Math.max(1, window.toSeconds());
    try {
      domain.qemuMonitorCommand(
          "{\"execute\":\"calc-dirty-rate\",\"arguments\":{\"calc-time\":"
              + seconds
              + ",\"sample-pages\":4096}}",
          0);
      long until = System.nanoTime() + Duration.ofSeconds(seconds + 10).toNanos();
      while (System.nanoTime() < until) {
        Thread.sleep(200);
        String reply = domain.qemuMonitorCommand("{\"execute\":\"query-dirty-rate\"}", 0);
        Matcher st = STATUS.matcher(reply);
        if (st.find() && st.group(1).equals("measured")) {
          Matcher r = RATE.matcher(reply);
          if (!r.find()) {
            throw new MigrationException(
                FailureKind.HYPERVISOR_ERROR, "QEMU reported no dirty rate: " + reply);
          }
          return Long.parseLong(r.group(1)) << 20; // MiB/s
        }
      }
      throw new MigrationException(
          FailureKind.HYPERVISOR_ERROR, "dirty-rate measurement did not finish");
    } catch (LibvirtException e) {
      throw new MigrationException(
          FailureKind.HYPERVISOR_ERROR, "cannot measure the dirty rate: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MigrationException(
          FailureKind.HYPERVISOR_ERROR, "interrupted while measuring the dirty rate", e);
    }
  }
}
