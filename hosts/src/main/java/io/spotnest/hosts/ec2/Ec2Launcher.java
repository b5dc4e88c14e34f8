package io.spotnest.hosts.ec2;

import io.spotnest.hosts.AsyncLaunch;
import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostLaunchException;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.LaunchFailure;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.Pool;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceMarketOptionsRequest;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/**
 * Launches one instance: reserves a place under the caps, then walks the markets (spot, then
 * on-demand if allowed) and pools (the requested one first, then the configured order). Per pool:
 * throttling is retried in place; a capacity error (or {@code Unsupported}) marks that offering
 * unavailable for {@code unavailableTtl} and moves on at once; the spot quota blocks every spot
 * offering. A launch that fails throws a {@link HostLaunchException} whose class is that of the
 * requested pool and market (what the caller asked for). A client-side error (timeout, lost answer)
 * is retried in place with the same ClientToken, and never moves on: the instance may exist. The
 * user data carries the new host's first overlay flood list, taken once per launch.
 */
final class Ec2Launcher {
  private static final System.Logger LOG = System.getLogger(Ec2Launcher.class.getName());
  private static final String IDEMPOTENT_MISMATCH = "IdempotentParameterMismatch";

  private final Ec2Client ec2;
  private final Ec2Settings settings;
  private final HostUserData userData;
  private final Ec2Tags tags;
  private final ClientTokens tokens;
  private final UnavailableOfferings unavailable;
  private final LaunchSlots slots;
  private final ApiRetry retry;
  private final Function<Set<String>, List<Instance>> findByTokens;
  private final Function<Instance, Host> toHost;
  private final Supplier<List<String>> overlayPeers;

  Ec2Launcher(
      Ec2Client ec2,
      Ec2Settings settings,
      HostUserData userData,
      Ec2Tags tags,
      UnavailableOfferings unavailable,
      LaunchSlots slots,
      ApiRetry retry,
      Function<Set<String>, List<Instance>> findByTokens,
      Function<Instance, Host> toHost,
      Supplier<List<String>> overlayPeers) {
    this.ec2 = ec2;
    this.settings = settings;
    this.userData = userData;
    this.tags = tags;
    this.tokens = new ClientTokens(settings.cluster());
    this.unavailable = unavailable;
    this.slots = slots;
    this.retry = retry;
    this.findByTokens = findByTokens;
    this.toHost = toHost;
    this.overlayPeers = overlayPeers;
  }

  /** Either the launched instance or the error class that ended the tries in one pool. */
  private record PoolOutcome(Instance instance, LaunchError error) {}

  /**
   * Launches for {@code request}. Every ClientToken it sends is added to {@code tokensUsed} first,
   * so that a cancelled or interrupted launch can find what it created.
   */
  Host launch(
      HostRequest request,
      Supplier<Map<String, Market>> live,
      AsyncLaunch self,
      Set<String> tokensUsed) {
    LaunchSlots.Slot slot = slots.reserve(request.market(), live.get());
    try {
      // one user data for every try of this launch: a ClientToken retried must ask the same
      String userData = this.userData.base64(overlayPeers.get());
      Instance instance = walk(request, slot, self, tokensUsed, userData);
      slots.launched(slot, instance.instanceId());
      return toHost.apply(instance);
    } catch (RuntimeException e) {
      slots.release(slot);
      throw e;
    }
  }

  private Instance walk(
      HostRequest request,
      LaunchSlots.Slot slot,
      AsyncLaunch self,
      Set<String> tokensUsed,
      String userData) {
    Set<Pool> candidates = new LinkedHashSet<>();
    candidates.add(request.pool());
    candidates.addAll(settings.pools());
    List<String> failures = new ArrayList<>();
    // the requested offering's failure is the launch's: the caller asked for that pool and market
    LaunchFailure requested =
        slot.markets().contains(request.market())
            ? LaunchFailure.OTHER
            : LaunchFailure.QUOTA; // cap.spotHosts left only the on-demand fallback
    for (Market market : slot.markets()) {
      slots.trying(slot, market);
      for (Pool pool : candidates) {
        boolean isRequested = pool.equals(request.pool()) && market == request.market();
        Optional<LaunchFailure> blocked = unavailable.blockedBy(pool, market);
        if (blocked.isPresent()) {
          failures.add(pool + "/" + market + ": skipped, failed recently (" + blocked.get() + ")");
          requested = isRequested ? blocked.get() : requested;
          continue;
        }
        String token = tokens.token(request, pool, market);
        tokensUsed.add(token);
        PoolOutcome outcome = tryPool(request, pool, market, token, userData, failures, self);
        if (outcome.instance() != null) {
          return outcome.instance();
        }
        requested = isRequested ? outcome.error().failure() : requested;
        if (outcome.error() == LaunchError.SPOT_QUOTA) {
          break; // no spot pool can succeed; go on to the next market
        }
      }
    }
    throw new HostLaunchException(
        requested, "no host launched for " + request + ": " + String.join("; ", failures));
  }

  private PoolOutcome tryPool(
      HostRequest request,
      Pool pool,
      Market market,
      String clientToken,
      String userData,
      List<String> failures,
      AsyncLaunch self) {
    for (int attempt = 1; ; attempt++) {
      if (self.isCancelled()) {
        throw new CancellationException("launch " + self.key() + " cancelled");
      }
      try {
        Instance instance =
            ec2.runInstances(runRequest(request, pool, market, clientToken, userData))
                .instances()
                .get(0);
        return new PoolOutcome(checkNew(instance, self), null);
      } catch (AwsServiceException e) {
        String code = ApiRetry.errorCode(e);
        if (IDEMPOTENT_MISMATCH.equals(code)) {
          // an earlier launch with this key made the instance with other user data (the flood list
          // of its time): that instance is this launch's
          Optional<Instance> made = findByTokens.apply(Set.of(clientToken)).stream().findFirst();
          if (made.isPresent()) {
            return new PoolOutcome(checkNew(made.get(), self), null);
          }
        }
        LaunchError kind = LaunchError.of(code);
        failures.add(pool + "/" + market + " attempt " + attempt + ": " + code);
        switch (kind) {
          case FATAL ->
              throw new HostLaunchException(
                  "launch in "
                      + pool
                      + " ("
                      + market
                      + ") failed: "
                      + code
                      + ": "
                      + ApiRetry.errorMessage(e),
                  e);
          case SPOT_QUOTA -> {
            if (market != Market.SPOT) {
              throw new HostLaunchException(
                  LaunchFailure.QUOTA,
                  "launch in " + pool + " (" + market + ") failed: " + code,
                  e);
            }
            unavailable.markMarket(Market.SPOT);
            return new PoolOutcome(null, kind);
          }
          case CAPACITY, UNSUPPORTED -> {
            unavailable.mark(pool, market, kind.failure());
            return new PoolOutcome(null, kind);
          }
          case THROTTLED -> {
            if (attempt >= retry.attempts()) {
              return new PoolOutcome(null, kind);
            }
          }
        }
      } catch (SdkClientException e) {
        // Timed out or the answer was lost: the instance may exist. Only the same token in the same
        // pool is safe.
        failures.add(
            pool + "/" + market + " attempt " + attempt + ": client error: " + e.getMessage());
        LOG.log(
            System.Logger.Level.WARNING,
            "RunInstances in {0} ({1}) attempt {2}: {3}; retrying with the same ClientToken",
            pool,
            market,
            attempt,
            e.getMessage());
        if (attempt >= retry.attempts()) {
          Optional<Instance> found = findByTokens.apply(Set.of(clientToken)).stream().findFirst();
          if (found.isPresent()) {
            return new PoolOutcome(checkNew(found.get(), self), null);
          }
          throw new HostLaunchException(
              "launch "
                  + self.key()
                  + " in "
                  + pool
                  + " ("
                  + market
                  + "): outcome unknown after "
                  + attempt
                  + " client errors and no instance found with its ClientToken; start the same key again "
                  + "to resume it ("
                  + String.join("; ", failures)
                  + ")",
              e);
        }
      }
      retry.backOff(attempt);
    }
  }

  /**
   * The token may name an instance of an earlier launch with the same key that is gone since: that
   * is no launch.
   */
  private static Instance checkNew(Instance instance, AsyncLaunch self) {
    String state = instance.state() == null ? "pending" : instance.state().nameAsString();
    if (state.equals("shutting-down") || state.equals("terminated")) {
      throw new HostLaunchException(
          "launch key "
              + self.key()
              + " was used before for instance "
              + instance.instanceId()
              + ", which is "
              + state
              + "; use a new key for a new host");
    }
    LOG.log(
        System.Logger.Level.INFO, "launched {0} for key {1}", instance.instanceId(), self.key());
    return instance;
  }

  private RunInstancesRequest runRequest(
      HostRequest request, Pool pool, Market market, String clientToken, String userData) {
    RunInstancesRequest.Builder b =
        RunInstancesRequest.builder()
            .imageId(settings.imageId())
            .instanceType(pool.instanceType())
            .minCount(1)
            .maxCount(1)
            .clientToken(clientToken)
            .userData(userData)
            .tagSpecifications(tags.specifications(pool.toString(), market.name(), request.key()))
            // IMDSv2 only, and one hop: a nested VM (one hop further, behind the host's NAT) gets
            // no answer.
            .metadataOptions(
                m ->
                    m.httpTokens("required")
                        .httpPutResponseHopLimit(1)
                        .httpEndpoint("enabled")
                        .instanceMetadataTags("disabled"))
            .placement(p -> p.availabilityZone(pool.zone()));
    String subnet = settings.subnets().get(pool.zone());
    if (subnet != null) {
      b.subnetId(subnet);
    }
    if (!settings.securityGroupIds().isEmpty()) {
      b.securityGroupIds(settings.securityGroupIds());
    }
    settings.instanceProfile().ifPresent(p -> b.iamInstanceProfile(i -> i.name(p)));
    settings
        .diskGib()
        .ifPresent(
            gib ->
                b.blockDeviceMappings(
                    m ->
                        m.deviceName(settings.rootDevice())
                            .ebs(
                                e ->
                                    e.volumeSize(gib)
                                        .volumeType(VolumeType.GP3)
                                        .deleteOnTermination(true))));
    if (market == Market.SPOT) {
      b.instanceMarketOptions(
          InstanceMarketOptionsRequest.builder()
              .marketType(MarketType.SPOT)
              .spotOptions(s -> s.spotInstanceType(SpotInstanceType.ONE_TIME))
              .build());
    }
    return b.build();
  }
}
