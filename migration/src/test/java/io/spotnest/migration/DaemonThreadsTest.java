package io.spotnest.migration;

import io.spotnest.testbed.DaemonThreadChecks;
import org.junit.jupiter.api.Test;

class DaemonThreadsTest {
  @Test
  void namedDaemonsMadeAndStarted() throws InterruptedException {
    DaemonThreadChecks.check(DaemonThreads::named, DaemonThreads::start);
  }
}
