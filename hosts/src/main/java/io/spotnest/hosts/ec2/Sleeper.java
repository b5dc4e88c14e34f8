package io.spotnest.hosts.ec2;

import java.time.Duration;

/** Waits between retries; tests substitute one that records instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration d) throws InterruptedException;

  /** Thread.sleep. */
  static Sleeper real() {
    return d -> Thread.sleep(d.toMillis());
  }
}
