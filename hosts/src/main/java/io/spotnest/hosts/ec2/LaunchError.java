package io.spotnest.hosts.ec2;

import io.spotnest.hosts.LaunchFailure;
import java.util.Set;

/** How a failed EC2 launch call is handled, by its error code. */
enum LaunchError {
  /** API rate limit: back off and try the same pool again. */
  THROTTLED,
  /** No capacity for this offering right now: back off, retry, then fall back to the next pool. */
  CAPACITY,
  /**
   * The offering does not exist (this type in this zone, or these options): like {@link #CAPACITY},
   * never retried in place; reported as its own class.
   */
  UNSUPPORTED,
  /** The account's spot quota is used up: no spot pool can succeed, only on-demand fallback can. */
  SPOT_QUOTA,
  /** Anything else (bad AMI, permissions, malformed request): stop and report. */
  FATAL;

  private static final Set<String> THROTTLING =
      Set.of(
          "RequestLimitExceeded",
          "Throttling",
          "ThrottlingException",
          "RequestThrottled",
          "ServiceUnavailable",
          "Unavailable",
          "InternalError");
  private static final Set<String> NO_CAPACITY =
      Set.of(
          "InsufficientInstanceCapacity",
          "InsufficientHostCapacity",
          "InsufficientCapacity",
          "InsufficientReservedInstanceCapacity",
          "SpotMaxPriceTooLow",
          "InsufficientFreeAddressesInSubnet");
  private static final String UNSUPPORTED_CODE = "Unsupported";
  private static final Set<String> QUOTA = Set.of("MaxSpotInstanceCountExceeded");

  static LaunchError of(String errorCode) {
    if (errorCode == null) {
      return FATAL;
    }
    if (THROTTLING.contains(errorCode)) {
      return THROTTLED;
    }
    if (NO_CAPACITY.contains(errorCode)) {
      return CAPACITY;
    }
    if (UNSUPPORTED_CODE.equals(errorCode)) {
      return UNSUPPORTED;
    }
    return QUOTA.contains(errorCode) ? SPOT_QUOTA : FATAL;
  }

  /** The class a controller sees when this error ended the launch. */
  LaunchFailure failure() {
    return switch (this) {
      case CAPACITY -> LaunchFailure.NO_CAPACITY;
      case UNSUPPORTED -> LaunchFailure.UNSUPPORTED;
      case SPOT_QUOTA -> LaunchFailure.QUOTA;
      case THROTTLED, FATAL -> LaunchFailure.OTHER;
    };
  }
}
