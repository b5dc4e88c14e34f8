package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.model.ClosureKind;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.placement.Limits;
import io.spotnest.orchestrator.port.HostOrder;
import io.spotnest.strategy.fleet.CopyMode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the orchestrator may grow the fleet.
 *
 * @param offers the hosts it may launch (pool, market, size), spot and on-demand
 * @param limits caps on hosts, agents and concurrent migrations
 * @param warmOnDemand on-demand hosts kept ready as evacuation destinations before any notice (R2)
 * @param riskCalm a host at risk (not draining) becomes ready again once its pool's risk is at most
 *     this and no rebalance recommendation for it is younger than {@code rebalanceHold}
 * @param launchTimeout a launch not running after this is given up (and the host, if it shows up,
 *     terminated)
 * @param voluntaryWindow the least time a voluntary move (risk, move back, consolidation) is given:
 *     no provider sets its deadline, so it gets the strategy's deadline or now plus this, whichever
 *     is later. The strategy's deadline is its own estimate of the move; the engine, measuring the
 *     guest and the link at the time, may predict longer, and a slower move is still better than
 *     none. Forced moves keep their notice's deadline.
 * @param capacityHold how long a spot pool stays closed to our launches after a launch there failed
 *     (the orchestrator learns that a pool has no capacity only from a failed launch); an
 *     unsupported offering is held longer ({@link #holdFor})
 * @param copyMode when an agent whose request asked for a standing copy on a backup host (issue 12)
 *     gets one, as the strategy's standing-copy plan decides; {@link CopyMode#OFF} keeps none
 *     whatever the strategy says; {@link CopyMode#AT_RISK} also copies agents that left it to the
 *     fleet, and an agent that refused never gets one in any mode
 * @param standbyStoreMiB room on each host's disk, in its libvirt {@code memory_backing_dir}, for
 *     the files of file-backed standbys and of the VMs flushed from them (issue 12 item 6; {@link
 *     io.spotnest.orchestrator.model.FleetState#standbyFileMiB}); the orchestrator knows no host's
 *     disk, so the operator says it. 0 (the default): no room, every standby is kept in its
 *     backup's RAM and counted in full ({@link io.spotnest.orchestrator.model.FleetState#usedMiB})
 */
public record FleetConfig(
    List<HostOrder> offers,
    Limits limits,
    int warmOnDemand,
    double riskCalm,
    Duration rebalanceHold,
    Duration launchTimeout,
    Duration voluntaryWindow,
    Duration capacityHold,
    CopyMode copyMode,
    long standbyStoreMiB) {
  /** The standby store of the shorter constructor: none, every standby in RAM. */
  public static final long DEFAULT_STANDBY_STORE_MIB = 0;

  /**
   * The voluntary window of {@link #FleetConfig(List, Limits, int, double, Duration, Duration)}.
   */
  public static final Duration DEFAULT_VOLUNTARY_WINDOW = Duration.ofMinutes(10);

  /**
   * The capacity hold of {@link #FleetConfig(List, Limits, int, double, Duration, Duration)}, as
   * long as the simulator waits after a failed spot launch.
   */
  public static final Duration DEFAULT_CAPACITY_HOLD = Duration.ofMinutes(10);

  /**
   * How long a spot pool stays closed after a launch there found its offering unsupported (an
   * instance type not offered in the zone does not appear within minutes): at least this, and never
   * shorter than the capacity hold.
   */
  public static final Duration UNSUPPORTED_HOLD = Duration.ofHours(6);

  /** The copy mode of the shorter constructor: the strategy's default. */
  public static final CopyMode DEFAULT_COPY_MODE = CopyMode.HAZARD;

  /** The same configuration with another copy mode. */
  public FleetConfig withCopyMode(CopyMode mode) {
    return with(mode, standbyStoreMiB);
  }

  /** The same configuration with {@code mib} of standby store on each host. */
  public FleetConfig withStandbyStoreMiB(long mib) {
    return with(copyMode, mib);
  }

  /** The same configuration but for these settings. */
  private FleetConfig with(CopyMode copyMode, long standbyStoreMiB) {
    return new FleetConfig(
        offers,
        limits,
        warmOnDemand,
        riskCalm,
        rebalanceHold,
        launchTimeout,
        voluntaryWindow,
        capacityHold,
        copyMode,
        standbyStoreMiB);
  }

  /** A configuration with the default voluntary window, capacity hold and copy mode. */
  public FleetConfig(
      List<HostOrder> offers,
      Limits limits,
      int warmOnDemand,
      double riskCalm,
      Duration rebalanceHold,
      Duration launchTimeout) {
    this(
        offers,
        limits,
        warmOnDemand,
        riskCalm,
        rebalanceHold,
        launchTimeout,
        DEFAULT_VOLUNTARY_WINDOW,
        DEFAULT_CAPACITY_HOLD,
        DEFAULT_COPY_MODE,
        DEFAULT_STANDBY_STORE_MIB);
  }

  /**
   * How long a spot pool stays closed after a launch there failed with {@code kind}: the {@link
   * #UNSUPPORTED_HOLD} (or the capacity hold if longer) for an unsupported offering, the capacity
   * hold for any other cause.
   */
  public Duration holdFor(ClosureKind kind) {
    if (kind == ClosureKind.UNSUPPORTED && UNSUPPORTED_HOLD.compareTo(capacityHold) > 0) {
      return UNSUPPORTED_HOLD;
    }
    return capacityHold;
  }

  public FleetConfig {
    offers = List.copyOf(offers);
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(rebalanceHold, "rebalanceHold");
    Objects.requireNonNull(copyMode, "copyMode");
    if (launchTimeout == null || launchTimeout.isNegative() || launchTimeout.isZero()) {
      throw new IllegalArgumentException("launchTimeout must be positive, got " + launchTimeout);
    }
    if (voluntaryWindow == null || voluntaryWindow.isNegative()) {
      throw new IllegalArgumentException(
          "voluntaryWindow must be zero or positive, got " + voluntaryWindow);
    }
    if (capacityHold == null || capacityHold.isNegative()) {
      throw new IllegalArgumentException(
          "capacityHold must be zero or positive, got " + capacityHold);
    }
    if (offers.stream().noneMatch(o -> o.market() == Market.ON_DEMAND)) {
      throw new IllegalArgumentException(
          "offers: at least one on-demand offer is needed for evacuations");
    }
    if (standbyStoreMiB < 0) {
      throw new IllegalArgumentException(
          "standbyStoreMiB must not be negative (0: no file-backed standbys), got "
              + standbyStoreMiB);
    }
    if (warmOnDemand < 0) {
      throw new IllegalArgumentException("warmOnDemand must not be negative, got " + warmOnDemand);
    }
  }
}
