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
   * A calculation over this many seconds follows the one-second ones: fewer changed samples than
   * the rate predicts show the working set ({@link DirtyRateReadings}).
   */
  static final int SPAN_SECONDS = 3;

  /**
   * The dirty rate from one-second calculations over {@code window} (whole seconds, at least 1),
   * then more while the rate is too uncertain for a move over a link of {@code linkBytesPerSecond}
   * (0: unknown; {@link DirtyRateReadings#wantsMore}: libvirt's calculation samples 512 pages per
   * GiB, so a guest dirtying 4 MiB/s changes about two sampled pages a second) and the one-second
   * readings have taken less than {@code longest}, and the working set of a guest of {@code
   * ramBytes} when a {@value #SPAN_SECONDS}-second calculation after them shows one.
   */
  DirtyRate measure(
      String vmName, Duration window, long ramBytes, long linkBytesPerSecond, Duration longest) {
    int n = (int) Math.max(1, window.toSeconds());
    int most = (int) Math.max(n, Math.min(Integer.MAX_VALUE, longest.toSeconds()));
    DirtyRateReadings readings = new DirtyRateReadings();
    for (int i = 0; i < n; i++) {
      readings.add(once(vmName, 1));
    }
    while (readings.wantsMore(linkBytesPerSecond, most)) {
      readings.add(once(vmName, 1));
    }
    readings.addSpan(once(vmName, SPAN_SECONDS));
    return readings.rate(ramBytes);
  }

  /** One calculation over {@code seconds}, as libvirt reports it. */
  DirtyRateReading once(String vmName, int seconds) {
    libvirt.startDirtyRateCalc(vmName, seconds, PAGE_SAMPLING);
    long until = System.nanoTime() + Duration.ofSeconds(seconds + 10L).toNanos();
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
