package io.spotnest.migration;

import java.util.Optional;

/**
 * The rate a migration stream achieved, from its own progress reports: bytes processed (memory and
 * disk) between the first report that had sent anything and the last one, over libvirt's elapsed
 * job time between them. It excludes the set-up before the first byte, so the link's efficiency and
 * the set-up time can be told apart ({@link LinkCalibration}).
 */
final class StreamRate implements MigrationListener {

  private static final long MIN_MILLIS = 1000;

  private MigrationProgress first;
  private MigrationProgress last;

  @Override
  public synchronized void onProgress(MigrationProgress p) {
    if (p.postCopy() || p.memoryProcessed() + p.diskProcessed() <= 0) {
      return;
    }
    if (first == null) {
      first = p;
    }
    last = p;
  }

  /** Bytes per second between the first and last report, when they are at least 1 s apart. */
  synchronized Optional<Double> bytesPerSecond() {
    if (first == null) {
      return Optional.empty();
    }
    long millis = last.elapsed().toMillis() - first.elapsed().toMillis();
    long bytes =
        last.memoryProcessed()
            + last.diskProcessed()
            - first.memoryProcessed()
            - first.diskProcessed();
    if (millis < MIN_MILLIS || bytes <= 0) {
      return Optional.empty();
    }
    return Optional.of(bytes * 1000.0 / millis);
  }

  /** Relays to {@code next} and measures on the way. */
  MigrationListener tee(MigrationListener next) {
    StreamRate self = this;
    return new MigrationListener() {
      @Override
      public void onPlan(MigrationPlan plan) {
        next.onPlan(plan);
      }

      @Override
      public void onProgress(MigrationProgress progress) {
        self.onProgress(progress);
        next.onProgress(progress);
      }

      @Override
      public void onPhase(MigrationPhase phase) {
        next.onPhase(phase);
      }

      @Override
      public void onOutcome(MigrationOutcome outcome) {
        next.onOutcome(outcome);
      }
    };
  }
}
