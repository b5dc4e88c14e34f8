package io.spotnest.jenkins;

import io.spotnest.strategy.fleet.CopyMode;

/** How the cloud's {@code standingCopies} drop-down names each {@link CopyMode}. */
final class StandingCopyModes {
  private StandingCopyModes() {}

  /** The label an administrator reads for {@code mode}. */
  static String displayName(CopyMode mode) {
    return switch (mode) {
      case OFF -> "Never: a reclaim without an early warning restarts the build";
      case HAZARD ->
          "For templates that always want one, while their spot pool's risk pays for the copy";
      case ALWAYS -> "For templates that always want one, whenever they run on spot";
      case AFFORDABLE ->
          "For templates that always want one, whenever the copy costs less than the spot saving"
              + " it protects, otherwise while their pool's risk pays for it";
      case AT_RISK ->
          "For templates that want one or leave it to the fleet, while their spot pool's risk"
              + " pays for the copy (default)";
    };
  }
}
