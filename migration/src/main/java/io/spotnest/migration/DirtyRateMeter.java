package io.spotnest.migration;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Measures how fast a running guest dirties its memory with libvirt's own dirty-rate calculation
 * ({@code virDomainStartDirtyRateCalc}, then the {@code dirtyrate.*} fields of {@code
 * virDomainListGetStats}) in QEMU's page-sampling mode, which works under TCG as under KVM.
 */
final class DirtyRateMeter {

  /** VIR_DOMAIN_DIRTYRATE_MODE_PAGE_SAMPLING. */
  private static final int PAGE_SAMPLING = 0;

  /** One dirty-rate calculation over whole seconds, returned once it has finished. */
  interface Calculation {
    DirtyRateReading run(String vmName, int seconds);

    /**
     * As {@link #run(String, int)}, doing {@code meanwhile} while the calculation runs; one that
     * cannot overlap does it first.
     */
    default DirtyRateReading run(String vmName, int seconds, Runnable meanwhile) {
      meanwhile.run();
      return run(vmName, seconds);
    }
  }

  /**
   * libvirt's calculation: it runs in QEMU once started, so the caller may do something else (on
   * another connection) before it waits for the result.
   */
  private static final class LibvirtCalculation implements Calculation {
    private final LibvirtNative libvirt;

    LibvirtCalculation(LibvirtNative libvirt) {
      this.libvirt = libvirt;
    }

    @Override
    public DirtyRateReading run(String vmName, int seconds) {
      return run(vmName, seconds, () -> {});
    }

    @Override
    public DirtyRateReading run(String vmName, int seconds, Runnable meanwhile) {
      libvirt.startDirtyRateCalc(vmName, seconds, PAGE_SAMPLING);
      long started = System.nanoTime();
      meanwhile.run();
      long until =
          Math.max(
              started + Duration.ofSeconds(seconds + 10L).toNanos(),
              System.nanoTime() + Duration.ofSeconds(2).toNanos());
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

  private final Calculation calculation;
  private final LongSupplier nanoTime;

  DirtyRateMeter(LibvirtNative libvirt) {
    this(new LibvirtCalculation(libvirt), System::nanoTime);
  }

  /**
   * @param calculation makes one calculation
   * @param nanoTime the time source the measurement's budget is kept on
   */
  DirtyRateMeter(Calculation calculation, LongSupplier nanoTime) {
    this.calculation = calculation;
    this.nanoTime = nanoTime;
  }

  /**
   * A calculation over this many seconds follows the one-second ones: fewer changed samples than
   * the rate predicts show the working set ({@link DirtyRateReadings}). Five, not three: on the lab
   * a 256 MiB guest cycling over 64 MiB at 32 MiB/s changed the working set's 32 sampled pages in 3
   * s where one one-second reading predicts about 51, a shortfall of about 1.4 standard deviations
   * of the sampling noise that rarely showed; in 5 s about 85 are predicted, about 2.5 standard
   * deviations.
   */
  static final int SPAN_SECONDS = 5;

  /** The least a measurement takes: one one-second calculation and the longer one. */
  static final Duration LEAST = Duration.ofSeconds(1 + SPAN_SECONDS);

  /**
   * The dirty rate from one-second calculations over {@code window} (whole seconds, at least 1),
   * then more while the rate is too uncertain for a move over a link of {@code linkBytesPerSecond}
   * (0: unknown; {@link DirtyRateReadings#wantsMore}: libvirt's calculation samples 512 pages per
   * GiB, so a guest dirtying 4 MiB/s changes about two sampled pages a second), and the working set
   * of a guest of {@code ramBytes} when a {@value #SPAN_SECONDS}-second calculation after them
   * shows one. The whole measurement, the longer calculation and each calculation's time beyond its
   * period included, keeps within {@code longest} of wall time: a one-second calculation is started
   * only when it and the longer one still fit, at the longest time a calculation took so far (under
   * load one took 1.5 s and more); the first and the longer one are always made ({@link #LEAST}).
   * Then, while another fits: one over twice the period where the working set may hide in the
   * window ({@link DirtyRateReadings#longerSpanWanted}), or more of the same period while their
   * count is too noisy to plan with ({@link DirtyRateReadings#wantsAnotherSpan}).
   */
  DirtyRate measure(
      String vmName, Duration window, long ramBytes, long linkBytesPerSecond, Duration longest) {
    return measure(vmName, window, ramBytes, linkBytesPerSecond, longest, () -> {});
  }

  /**
   * As {@link #measure(String, Duration, long, long, Duration)}, doing {@code meanwhile} once while
   * the longer calculation runs (the zero-page sample: it reads pages, writes none, and its 1-4 s
   * then cost no wall time of their own).
   */
  DirtyRate measure(
      String vmName,
      Duration window,
      long ramBytes,
      long linkBytesPerSecond,
      Duration longest,
      Runnable meanwhile) {
    int n = (int) Math.max(1, window.toSeconds());
    long end = nanoTime.getAsLong() + longest.toNanos();
    long second = Duration.ofSeconds(1).toNanos();
    long beyond = 0; // the longest a calculation took beyond its period so far
    DirtyRateReadings readings = new DirtyRateReadings();
    int taken = 0;
    while (true) {
      long before = nanoTime.getAsLong();
      readings.add(calculation.run(vmName, 1));
      long after = nanoTime.getAsLong();
      beyond = Math.max(beyond, after - before - second);
      taken++;
      boolean wanted = taken < n || readings.wantsMore(linkBytesPerSecond, Integer.MAX_VALUE);
      long next = second + beyond + SPAN_SECONDS * second + beyond;
      if (!wanted || after + next - end > 0) {
        break;
      }
    }
    readings.addSpan(calculation.run(vmName, SPAN_SECONDS, meanwhile));
    // a working set hidden in the window is read over a longer one, and a small guest's, counted
    // on few sampled pages, again: while another fits
    int period = SPAN_SECONDS;
    while (true) {
      int longer = readings.longerSpanWanted(ramBytes);
      int next = longer > 0 ? longer : readings.wantsAnotherSpan(ramBytes) ? period : 0;
      long before = nanoTime.getAsLong();
      if (next == 0 || before + next * second + beyond - end > 0) {
        break;
      }
      readings.addSpan(calculation.run(vmName, next));
      period = next;
      beyond = Math.max(beyond, nanoTime.getAsLong() - before - next * second);
    }
    return readings.rate(ramBytes);
  }

  /** One calculation over {@code seconds}, as libvirt reports it. */
  DirtyRateReading once(String vmName, int seconds) {
    return calculation.run(vmName, seconds);
  }

  /** As {@link #once(String, int)}, doing {@code meanwhile} while it runs. */
  DirtyRateReading once(String vmName, int seconds, Runnable meanwhile) {
    return calculation.run(vmName, seconds, meanwhile);
  }
}
