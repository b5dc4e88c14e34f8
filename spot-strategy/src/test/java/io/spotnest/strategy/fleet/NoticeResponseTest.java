package io.spotnest.strategy.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotnest.strategy.policy.MigrationAssumptions;
import io.spotnest.strategy.policy.ParametricMigrationEstimator;
import io.spotnest.strategy.signal.PoolId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The public notice response: destinations, deadlines, zones and bursts (10 Gbit/s, 128 MiB/s
 * dirty).
 */
class NoticeResponseTest {
  private static final PoolId POOL = new PoolId("r5.16xlarge", "us-east-1b");
  private static final PoolId OTHER_POOL = new PoolId("r5.16xlarge", "us-east-1c");
  private static final Instant NOW = Instant.parse("2023-04-19T10:00:00Z");
  private final NoticeResponse response =
      new NoticeResponse(
          new ParametricMigrationEstimator(MigrationAssumptions.DEFAULTS),
          Duration.ofMinutes(3),
          ram -> 2 * ram);

  private static HostView spot(String id, PoolId pool, double... agents) {
    List<AgentView> list = new java.util.ArrayList<>();
    double used = 0;
    for (double r : agents) {
      list.add(
          new AgentView(
              id + "-" + list.size(),
              r,
              false,
              Duration.ofMinutes(30),
              Duration.ofMinutes(60),
              Duration.ofMinutes(30)));
      used += r;
    }
    return new HostView(
        id, Optional.of(pool), pool.zone(), 508, used, NOW, false, false, false, false, NOW, list);
  }

  private static HostView onDemand(String id, String zone, double free) {
    return new HostView(
        id,
        Optional.empty(),
        zone,
        500,
        500 - free,
        NOW,
        false,
        false,
        false,
        false,
        NOW,
        List.of());
  }

  private static FleetDecision.Evacuate evacuate(
      String agent, String from, Destination to, Instant deadline) {
    return new FleetDecision.Evacuate(agent, from, to, deadline, true);
  }

  @Test
  void smallestFirstToReadyRoomInTheZoneThenTheRegionAndOnlyWhatCanFinish() {
    Instant deadline = NOW.plusSeconds(120);
    List<FleetDecision> d =
        response.onNotice(
            List.of(
                spot("a", POOL, 64, 16, 64, 8),
                onDemand("od-zone", "us-east-1b", 30),
                onDemand("od-region", "us-east-1c", 100),
                onDemand("od-west", "us-west-2a", 500)),
            "a",
            NOW,
            deadline,
            Optional.empty(),
            p -> true);
    // 8 GiB ~10 s, 16 GiB ~20 s, 64 GiB ~79 s: the first 64 GiB agent ends at ~109 s, the second
    // would not make it
    assertEquals(
        List.of(
            new FleetDecision.Cordon("a"),
            evacuate("a-3", "a", new Destination.Host("od-zone"), deadline),
            evacuate("a-1", "a", new Destination.Host("od-zone"), deadline),
            evacuate("a-0", "a", new Destination.Host("od-region"), deadline)),
        d);
  }

  @Test
  void withoutReadyRoomALaunchCannotBeatTheNoticeButCanBeatALaterDeadline() {
    List<HostView> fleet = List.of(spot("a", POOL, 8, 8));
    assertEquals(
        List.of(new FleetDecision.Cordon("a")),
        response.onNotice(fleet, "a", NOW, NOW.plusSeconds(120), Optional.empty(), p -> true));
    Instant later = NOW.plusSeconds(600);
    assertEquals(
        List.of(
            new FleetDecision.Cordon("a"),
            evacuate(
                "a-0",
                "a",
                new Destination.NewOnDemandHost("new-on-demand-0", "us-east-1b"),
                later),
            evacuate("a-1", "a", new Destination.Host("new-on-demand-0"), later)),
        response.onNotice(fleet, "a", NOW, later, Optional.empty(), p -> true));
  }

  @Test
  void burstDrainTakesThePoolsOtherHostsNotOtherPoolsAndNoRiskyPoolReceives() {
    Instant deadline = NOW.plusSeconds(120);
    Instant burst = NOW.plusSeconds(300);
    List<HostView> fleet =
        List.of(
            spot("a", POOL, 8),
            spot("b", POOL, 16),
            spot("c", OTHER_POOL),
            onDemand("od", "us-east-1b", 100));
    assertEquals(
        List.of(
            new FleetDecision.DrainPool(POOL, burst, NOW.plus(NoticeResponse.BURST_QUIET)),
            new FleetDecision.Cordon("a"),
            evacuate("a-0", "a", new Destination.Host("od"), deadline),
            new FleetDecision.Cordon("b"),
            evacuate("b-0", "b", new Destination.Host("od"), burst)),
        response.onNotice(fleet, "a", NOW, deadline, Optional.of(burst), p -> false));
    List<HostView> noOnDemand = List.of(spot("a", POOL, 8), spot("c", OTHER_POOL));
    assertEquals(
        List.of(
            new FleetDecision.Cordon("a"),
            evacuate("a-0", "a", new Destination.Host("c"), deadline)),
        response.onNotice(noOnDemand, "a", NOW, deadline, Optional.empty(), OTHER_POOL::equals));
    assertEquals(
        List.of(new FleetDecision.Cordon("a")),
        response.onNotice(noOnDemand, "a", NOW, deadline, Optional.empty(), p -> false));
  }

  @Test
  void inABurstNoAgentIsSentToAnotherHostOfTheDrainedPoolEvenWhenItLooksCalm() {
    Instant deadline = NOW.plusSeconds(120);
    Instant burst = NOW.plusSeconds(300);
    List<HostView> fleet =
        List.of(spot("a", POOL, 8), spot("b", POOL, 16), onDemand("od", "us-east-1b", 500));
    assertEquals(
        List.of(
            new FleetDecision.DrainPool(POOL, burst, NOW.plus(NoticeResponse.BURST_QUIET)),
            new FleetDecision.Cordon("a"),
            evacuate("a-0", "a", new Destination.Host("od"), deadline),
            new FleetDecision.Cordon("b"),
            evacuate("b-0", "b", new Destination.Host("od"), burst)),
        response.onNotice(fleet, "a", NOW, deadline, Optional.of(burst), p -> true));
    assertEquals(
        evacuate("a-0", "a", new Destination.Host("b"), deadline),
        response.onNotice(fleet, "a", NOW, deadline, Optional.empty(), p -> true).get(1),
        "without burst drain a calm pool's other host still receives");
  }
}
