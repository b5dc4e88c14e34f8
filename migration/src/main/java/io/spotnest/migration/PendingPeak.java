package io.spotnest.migration;

/**
 * What a standing copy's switch-over must still move: the most memory and disk the stream held back
 * in its current or previous pass. A pass starts with every page dirtied since the last one pending
 * and sends them down towards zero, so the latest sample alone can read near 0 just before QEMU's
 * next dirty sync brings the working set back; a flush sized on it would raise the downtime limit
 * too little for QEMU ever to switch over.
 */
final class PendingPeak {

  private long pass = -1;
  private long thisPass;
  private long previousPass;

  /** Takes a job-statistics sample of the stream. */
  void add(MigrationProgress p) {
    long pending = Math.max(0, p.memoryRemaining()) + Math.max(0, p.diskRemaining());
    if (p.iteration() != pass) {
      previousPass = p.iteration() == pass + 1 ? thisPass : 0;
      pass = p.iteration();
      thisPass = 0;
    }
    thisPass = Math.max(thisPass, pending);
  }

  /** Bytes the switch-over must move, 0 before the first sample. */
  long pendingBytes() {
    return Math.max(thisPass, previousPass);
  }
}
