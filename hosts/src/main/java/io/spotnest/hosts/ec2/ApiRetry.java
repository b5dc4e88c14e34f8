package io.spotnest.hosts.ec2;

import io.spotnest.hosts.HostLaunchException;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Retries EC2 calls that were throttled, with jittered exponential backoff, up to a number of
 * attempts.
 */
final class ApiRetry {
  private static final System.Logger LOG = System.getLogger(ApiRetry.class.getName());

  private final Backoff backoff;
  private final int attempts;
  private final Sleeper sleeper;
  private final RandomGenerator random;

  ApiRetry(Backoff backoff, int attempts, Sleeper sleeper, RandomGenerator random) {
    this.backoff = backoff;
    this.attempts = attempts;
    this.sleeper = sleeper;
    this.random = random;
  }

  int attempts() {
    return attempts;
  }

  /**
   * Runs {@code body}, retrying throttling errors; any other error, or the last throttling error,
   * is thrown.
   */
  <T> T call(String name, Supplier<T> body) {
    for (int attempt = 1; ; attempt++) {
      try {
        return body.get();
      } catch (AwsServiceException e) {
        if (LaunchError.of(errorCode(e)) != LaunchError.THROTTLED || attempt >= attempts) {
          throw e;
        }
        LOG.log(
            System.Logger.Level.DEBUG,
            "{0} throttled ({1}), attempt {2}",
            name,
            errorCode(e),
            attempt);
        backOff(attempt);
      }
    }
  }

  /** Sleeps before retry number {@code attempt}. */
  void backOff(int attempt) {
    try {
      sleeper.sleep(backoff.delay(attempt, random));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HostLaunchException("interrupted while backing off", e);
    }
  }

  static String errorCode(AwsServiceException e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  static String errorMessage(AwsServiceException e) {
    return e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
  }
}
