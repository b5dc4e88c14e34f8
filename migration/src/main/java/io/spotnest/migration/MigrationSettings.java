package io.spotnest.migration;

import java.time.Duration;

/**
 * How a live migration runs.
 *
 * @param maxDowntime longest pause the guest may see at switch-over (pre-copy stops iterating once
 *     the rest fits)
 * @param bandwidthMiBps cap on migration bandwidth in MiB/s, 0 for none
 * @param autoConverge permit the engine to throttle the guest's vCPUs when plain pre-copy does not
 *     converge in time ({@link TuningChoice} decides; the move runs with it only when chosen)
 * @param compression how memory pages are compressed on the wire
 * @param postCopy whether, and by when at the latest, the engine may switch to post-copy (a source
 *     failure during post-copy loses the VM)
 * @param copyStorage copy the written blocks of the guest's overlay disks with the migration
 *     (incremental, over NBD)
 * @param pollInterval how often job statistics are read and reported
 */
public record MigrationSettings(
    Duration maxDowntime,
    long bandwidthMiBps,
    boolean autoConverge,
    Compression compression,
    PostCopyPolicy postCopy,
    boolean copyStorage,
    Duration pollInterval) {

  /** Page compression on the wire. */
  public enum Compression {
    NONE,
    /**
     * XOR-based delta compression of re-sent pages (cheap; helps with pages rewritten a little).
     */
    XBZRLE
  }

  public MigrationSettings {
    require(
        maxDowntime != null
            && !maxDowntime.isNegative()
            && !maxDowntime.isZero()
            && maxDowntime.toMillis() <= 60_000,
        "maxDowntime",
        "must be 1 ms..60 s, was " + maxDowntime);
    require(
        bandwidthMiBps >= 0 && bandwidthMiBps <= 1_000_000,
        "bandwidthMiBps",
        "must be 0 (unlimited)..1000000, was " + bandwidthMiBps);
    require(compression != null, "compression", "must be given");
    require(postCopy != null, "postCopy", "must be given");
    require(
        pollInterval != null && pollInterval.toMillis() >= 10 && pollInterval.toMillis() <= 10_000,
        "pollInterval",
        "must be 10 ms..10 s, was " + pollInterval);
  }

  private static void require(boolean ok, String field, String message) {
    if (!ok) {
      throw new IllegalArgumentException("migration setting " + field + " " + message);
    }
  }

  /** 300 ms downtime, auto-converge permitted, copy the overlay, no post-copy. */
  public static MigrationSettings defaults() {
    return new MigrationSettings(
        Duration.ofMillis(300),
        0,
        true,
        Compression.NONE,
        PostCopyPolicy.never(),
        true,
        Duration.ofMillis(250));
  }

  public MigrationSettings withMaxDowntime(Duration d) {
    return new MigrationSettings(
        d, bandwidthMiBps, autoConverge, compression, postCopy, copyStorage, pollInterval);
  }

  public MigrationSettings withBandwidthMiBps(long b) {
    return new MigrationSettings(
        maxDowntime, b, autoConverge, compression, postCopy, copyStorage, pollInterval);
  }

  public MigrationSettings withAutoConverge(boolean a) {
    return new MigrationSettings(
        maxDowntime, bandwidthMiBps, a, compression, postCopy, copyStorage, pollInterval);
  }

  public MigrationSettings withCompression(Compression c) {
    return new MigrationSettings(
        maxDowntime, bandwidthMiBps, autoConverge, c, postCopy, copyStorage, pollInterval);
  }

  public MigrationSettings withPostCopy(PostCopyPolicy p) {
    return new MigrationSettings(
        maxDowntime, bandwidthMiBps, autoConverge, compression, p, copyStorage, pollInterval);
  }

  public MigrationSettings withPollInterval(Duration p) {
    return new MigrationSettings(
        maxDowntime, bandwidthMiBps, autoConverge, compression, postCopy, copyStorage, p);
  }

  public MigrationSettings withCopyStorage(boolean c) {
    return new MigrationSettings(
        maxDowntime, bandwidthMiBps, autoConverge, compression, postCopy, c, pollInterval);
  }
}
