package io.spotnest.testbed;

import org.junit.jupiter.api.Test;

class DaemonThreadsTest {
  @Test
  void namedDaemonsMadeAndStarted() throws InterruptedException {
    DaemonThreadChecks.check(DaemonThreads::named, DaemonThreads::start);
  }
}
