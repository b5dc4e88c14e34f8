package io.spotnest.migration;

import java.time.Duration;
import java.util.Map;

/**
 * Measures how fast a running guest dirties its memory with libvirt's own dirty-rate calculation
 * ({@code virDomainStartDirtyRateCalc}, then the {@code dirtyrate.*} fields of {@code
 * virDomainListGetStats}) in QEMU's page-sampling mode, which works under TCG as under KVM.
 */
final class DirtyRateMeter {

  /** VIR_DOMAIN_DIRTYRATE_MODE_PAGE_SAMPLING. */
  private static final int PAGE_SAMPLING = 0;

  private final LibvirtNative libvirt;

  DirtyRateMeter(LibvirtNative libvirt) {
    this.libvirt = libvirt;
  }

  /**
   * Dirty bytes per second: the mean of one-second calculations over {@code window} (whole seconds,
   * at least 1).
   */
  long measure(String vmName, Duration window) {
    int n = (int) Math.max(1, window.toSeconds());
    DirtyRateReadings readings = new DirtyRateReadings();
    for (int i = 0; i < n; i++) {
      readings.add(once(vmName));
    }
    return readings.bytesPerSecond();
  }

  private DirtyRateReading once(String vmName) {
    libvirt.startDirtyRateCalc(vmName, 1, PAGE_SAMPLING);
    long until = System.nanoTime() + Duration.ofSeconds(11).toNanos();
    try {
      while (System.nanoTime() < until) {
        Thread.sleep(100);
        Map<String, String> stats = libvirt.domainStats(vmName, LibvirtNative.STATS_DIRTYRATE);
        DirtyRateReading r = DirtyRateReading.of(stats);
        if (r.measured()) {
          return r;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MigrationException(
          FailureKind.HYPERVISOR_ERROR, "interrupted while measuring the dirty rate", e);
    }
    throw new MigrationException(
        FailureKind.HYPERVISOR_ERROR, "libvirt's dirty-rate calculation did not finish");
  }
}
