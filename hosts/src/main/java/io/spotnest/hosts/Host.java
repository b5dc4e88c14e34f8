package io.spotnest.hosts;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A host (L1 VM or machine) that runs agent VMs.
 *
 * @param id provider id, e.g. an EC2 instance id
 * @param pool where it runs and its size
 * @param market how it is rented
 * @param state provider-reported state
 * @param libvirtUri URI the controller (migration engine) connects to
 * @param peerUri URI other hosts' libvirt daemons use to reach this one for peer-to-peer migration
 * @param underlayAddress the IP address its VXLAN endpoint (VTEP) is bound to, which the other
 *     hosts' flood lists name ({@link OverlayPeers}); empty when not known
 * @param capacity what it offers to agent VMs
 * @param zoneId stable id of its failure domain (EC2 zone id such as {@code use1-az4}, the same in
 *     every account; the site for static machines); spot risk is per pool keyed by it
 * @param pricePerHour what it costs per hour now (spot price, or configured on-demand price), if
 *     known
 * @param launchTime when it was launched or attached
 * @param launchKey the caller's key ({@link HostRequest#key()}) it was launched with, as the
 *     provider reads it back from the host itself (an EC2 tag), so a controller restarted after
 *     asking for it can tell it from an orphan; empty when the provider cannot tell
 */
public record Host(
    String id,
    Pool pool,
    Market market,
    HostState state,
    URI libvirtUri,
    URI peerUri,
    Optional<String> underlayAddress,
    HostCapacity capacity,
    String zoneId,
    Optional<BigDecimal> pricePerHour,
    Instant launchTime,
    Optional<String> launchKey) {
  public Host {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(market, "market");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(libvirtUri, "libvirtUri");
    Objects.requireNonNull(peerUri, "peerUri");
    Objects.requireNonNull(underlayAddress, "underlayAddress");
    underlayAddress.ifPresent(
        a -> {
          if (!IpLiteral.is(a)) {
            throw new IllegalArgumentException(
                "underlayAddress: expected an IP address, got '" + a + "'");
          }
        });
    Objects.requireNonNull(capacity, "capacity");
    if (zoneId == null || zoneId.isBlank()) {
      throw new IllegalArgumentException("zoneId must not be blank");
    }
    Objects.requireNonNull(pricePerHour, "pricePerHour");
    pricePerHour.ifPresent(
        p -> {
          if (p.signum() < 0) {
            throw new IllegalArgumentException("pricePerHour must not be negative, got " + p);
          }
        });
    Objects.requireNonNull(launchTime, "launchTime");
    Objects.requireNonNull(launchKey, "launchKey");
  }

  /** A host whose launch key its provider cannot tell. */
  public Host(
      String id,
      Pool pool,
      Market market,
      HostState state,
      URI libvirtUri,
      URI peerUri,
      Optional<String> underlayAddress,
      HostCapacity capacity,
      String zoneId,
      Optional<BigDecimal> pricePerHour,
      Instant launchTime) {
    this(
        id,
        pool,
        market,
        state,
        libvirtUri,
        peerUri,
        underlayAddress,
        capacity,
        zoneId,
        pricePerHour,
        launchTime,
        Optional.empty());
  }

  /** The same host in another state. */
  public Host withState(HostState newState) {
    return new Host(
        id,
        pool,
        market,
        newState,
        libvirtUri,
        peerUri,
        underlayAddress,
        capacity,
        zoneId,
        pricePerHour,
        launchTime,
        launchKey);
  }
}
