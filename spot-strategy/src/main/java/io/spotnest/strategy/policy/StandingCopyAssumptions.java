package io.spotnest.strategy.policy;

/**
 * What a standing copy (issue 12 Part B: a live-migration stream to a backup host that keeps
 * re-sending dirty pages and completes only on a notice) costs and where it stops protecting. Every
 * figure is stated here once, with its source:
 *
 * <ul>
 *   <li>{@code flushSeconds} 3.5: the lab's notice flush (StandingCopyLabTest: 256 MiB guest
 *       dirtying 16 MiB/s over an 80 Mbit/s link, flush 3.5 s of which 1.9 s pause). Taken as it
 *       is, not scaled to a 10 Gbit/s link (conservative).
 *   <li>{@code fullBackupFlushSeconds} 30: issue 12 item 8's definition of a full backup (its
 *       copies' flushes, one after another, exceed 30 s); with the 3.5 s flush that is 8 copies,
 *       the count the simulator uses: derived, not measured. Measured on the lab ({@code bench
 *       standing-copy}, 2026-12-02, docs/benchmarks.md): file-backed standbys of 256 MiB guests
 *       dirtying 4 MiB/s, all streams on one 80 Mbit/s link, flushed together on one notice in 2.3
 *       s (one), 13.8 s (two) and 24.5 s (three), a fourth over 30 s; since a flush whose pause
 *       cannot fit its budget is refused up front, three are refused (23.4 s needed against 19.9 s)
 *       and the measured count is {@code standbys_per_backup=2}; the backup's link filled (the
 *       streams lag once their dirty rates near its 9.5 MiB/s), not its memory; one file-backed
 *       standby flushed in 0.76 x the time of one in RAM (2.1 s vs 2.7 s, one run). The lab's link
 *       is not the simulator's 10 Gbit/s, so the measured count does not replace the derived 8.
 *   <li>A copy lags, and protects nothing, when its stream's share of the host link is below the
 *       guest's dirty rate: {@code bench standing-copy} with a 32 MiB/s guest over 80 Mbit/s (9.5
 *       MiB/s) flushed in 9,951 ms with a 7,532 ms pause, i.e. a cold migration. A 4 MiB/s guest
 *       converged by itself (a finished move to the backup).
 *   <li>{@code backupUsdPerHour} 0.576 and {@code backupDiskGiB} 279: the backup is an r5d.2xlarge
 *       on demand (us-east-1 / us-west-2 Linux list price; 64 GiB RAM, one 300 GB NVMe disk that
 *       holds the copies' memory in files); its link is the simulator's host link, so the streams
 *       into one backup must fit it too.
 *   <li>Stream traffic: about the guest's dirty rate while the copy stands, the whole RAM while it
 *       first syncs; priced at the cross-zone transfer price when the backup is in another zone,
 *       free within a zone.
 * </ul>
 *
 * @param backupUsdPerHour price of one backup host, USD per hour
 * @param backupDiskGiB copy memory one backup host holds
 * @param flushSeconds time from a notice until the VM runs on the backup
 * @param fullBackupFlushSeconds a backup whose copies' flushes in a row take longer is full
 */
public record StandingCopyAssumptions(
    double backupUsdPerHour,
    double backupDiskGiB,
    double flushSeconds,
    double fullBackupFlushSeconds) {

  public static final StandingCopyAssumptions DEFAULTS =
      new StandingCopyAssumptions(0.576, 279, 3.5, 30);

  public StandingCopyAssumptions {
    for (double v : new double[] {backupUsdPerHour, backupDiskGiB, flushSeconds}) {
      if (!(v > 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException(
            "standing-copy figures must be finite positive numbers, got " + v);
      }
    }
    if (!(fullBackupFlushSeconds >= flushSeconds)) {
      throw new IllegalArgumentException(
          "fullBackupFlushSeconds must be at least one flush, got " + fullBackupFlushSeconds);
    }
  }

  /** Standing streams one host link keeps up with: each needs at least the dirty rate. */
  public int copiesPerHost(MigrationAssumptions m) {
    if (m.dirtyMiBps() <= 0) {
      return Integer.MAX_VALUE;
    }
    return (int) Math.floor(m.effectiveMiBps() / m.dirtyMiBps());
  }

  /** Copies one backup holds: its flushes in a row within the limit and its link keeping up. */
  public int copiesPerBackup(MigrationAssumptions m) {
    return Math.min((int) Math.floor(fullBackupFlushSeconds / flushSeconds), copiesPerHost(m));
  }
}
