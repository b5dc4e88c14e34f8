package io.spotnest.dashboard.orchestrator;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static io.spotnest.orchestrator.testing.States.SPOT_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotnest.dashboard.DashboardJson;
import io.spotnest.dashboard.DashboardSnapshot;
import io.spotnest.dashboard.PoolView;
import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.facade.AgentOrder;
import io.spotnest.orchestrator.facade.FleetRuntime;
import io.spotnest.orchestrator.model.AgentBootSpec;
import io.spotnest.orchestrator.model.ClosureKind;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.MarketPolicy;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.port.PoolDrain;
import io.spotnest.orchestrator.testing.Rig;
import io.spotnest.orchestrator.tick.FleetConfig;
import io.spotnest.orchestrator.view.LostRecord;
import io.spotnest.strategy.fleet.CopyRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's JSON over a real orchestrator driven against the in-memory fakes of its ports.
 */
class FleetViewSourceTest {
  private final Rig rig = new Rig();
  private final ObjectMapper json = new ObjectMapper();
  private final DashboardJson documents = new DashboardJson();

  private FleetRuntime start() {
    return FleetRuntime.start(
        rig.clock,
        rig.journal,
        new Orchestrator.Ports(rig.world, rig.world, rig.world, rig.world, rig.strategy),
        new FleetConfig(
            Rig.OFFERS, rig.limits, 0, 0.05, Duration.ofMinutes(30), Duration.ofMinutes(5)),
        rig.ids(),
        Duration.ofMinutes(20));
  }

  private JsonNode render(String path, DashboardSnapshot s) throws Exception {
    return json.readTree(documents.render(path, s).orElseThrow());
  }

  @Test
  void theEndpointsShowTheOrchestratorsHostsAgentsRiskMovesAndSavings() throws Exception {
    String spot = rig.host(SPOT_A, Market.SPOT);
    String od = rig.host(OD, Market.ON_DEMAND);
    String agent = rig.agent(spot, 2048, true);
    rig.world.quote(new MarketQuote(SPOT_A, rig.clock.instant(), 0.25, 1.00, OptionalInt.empty()));
    rig.strategy.risk.put(SPOT_A, 0.375);
    FleetRuntime fleet = start();
    FleetViewSource source = new FleetViewSource(fleet.view());
    fleet.tick();
    rig.clock.advance(Duration.ofHours(2));
    rig.world.event(
        new FleetEvent.Notice(
            "sqs-1", spot, "sqs", rig.clock.instant(), rig.clock.instant().plusSeconds(120)));
    fleet.tick();
    rig.world.completeMoves(Duration.ofMillis(7_250), Duration.ofMillis(143));
    rig.clock.advance(Duration.ofSeconds(8));
    fleet.tick();

    DashboardSnapshot s = source.snapshot();
    JsonNode hosts = render("/api/hosts", s);
    JsonNode agents = render("/api/agents", s);
    JsonNode risk = render("/api/risk", s);
    JsonNode migrations = render("/api/migrations", s);
    JsonNode summary = render("/api/summary", s);

    assertEquals(rig.clock.instant().toEpochMilli(), summary.get("asOfEpochMs").asLong());
    assertEquals("orchestrator", summary.get("source").asText());
    JsonNode spotHost = find(hosts, "id", spot);
    assertEquals("SPOT", spotHost.get("market").asText());
    assertEquals("c8i.2xlarge@use1-az1", spotHost.get("pool").asText());
    assertEquals("use1-az1", spotHost.get("zone").asText());
    assertEquals(0.375, spotHost.get("risk").asDouble());
    assertEquals("ON_DEMAND", find(hosts, "id", od).get("market").asText());
    assertEquals(agent, find(hosts, "id", od).get("agents").get(0).asText());
    assertEquals("busy", find(agents, "id", agent).get("state").asText());
    assertEquals(od, find(agents, "id", agent).get("host").asText());
    assertEquals(3, find(risk, "pool", "c8i.2xlarge@use1-az1").get("points").size());
    assertEquals(15, find(risk, "pool", "c8i.2xlarge@use1-az1").get("horizonMinutes").asInt());
    assertEquals(1, migrations.size());
    JsonNode m = migrations.get(0);
    assertEquals(agent, m.get("agent").asText());
    assertEquals(spot, m.get("from").asText());
    assertEquals(od, m.get("to").asText());
    assertEquals(7_250, m.get("durationMs").asLong());
    assertEquals(143, m.get("pauseMs").asLong());
    assertEquals("interruption notice", m.get("reason").asText());
    assertEquals(143, summary.get("maxPauseMs").asLong());
    // two hours: spot host at 0.25 + on-demand host at 1.00, against 2 x 1.00 all on demand
    assertEquals(2.5, summary.get("costUsd").asDouble(), 0.01);
    assertEquals(4.0, summary.get("allOnDemandUsd").asDouble(), 0.01);
    assertEquals(37.5, summary.get("savingPct").asDouble(), 0.5);
  }

  @Test
  void aLostBuildIsListedWithItsVanishedHostTimeAndRequeuedAgentAndSurvivesARestart()
      throws Exception {
    LostOnSpot lost = loseABuildOnSpot();
    String spot = lost.spot();
    String agent = lost.agent();
    FleetRuntime fleet = lost.fleet();
    long lostAt = rig.clock.instant().toEpochMilli();
    String requeued = fleet.view().snapshot().lost().get(0).requeuedAs();

    JsonNode losses = render("/api/losses", source(fleet));

    assertEquals(1, losses.size(), losses.toString());
    JsonNode l = losses.get(0);
    assertEquals(agent, l.get("agent").asText());
    assertEquals(spot, l.get("host").asText());
    assertTrue(l.get("reason").asText().contains(spot), l.toString());
    assertEquals(lostAt, l.get("atEpochMs").asLong());
    assertEquals(requeued, l.get("requeuedAs").asText());
    assertTrue(requeued != null && !requeued.equals(agent), l.toString());

    // a controller restart replays the journal: the loss is still listed, with its journaled time
    rig.clock.advance(Duration.ofMinutes(3));
    JsonNode replayed = render("/api/losses", source(start()));
    assertEquals(1, replayed.size(), replayed.toString());
    JsonNode r = replayed.get(0);
    assertEquals(agent, r.get("agent").asText());
    assertEquals(spot, r.get("host").asText());
    assertEquals(l.get("reason"), r.get("reason"));
    assertEquals(requeued, r.get("requeuedAs").asText());
    assertEquals(lostAt, r.get("atEpochMs").asLong(), r.toString());
  }

  /**
   * A busy agent on a spot host with an on-demand host beside it, started; the spot host vanishes
   * and a tick records the build lost.
   */
  private LostOnSpot loseABuildOnSpot() {
    String spot = rig.host(SPOT_A, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    String agent = rig.agent(spot, 2048, true);
    FleetRuntime fleet = start();
    rig.world.vanish(spot);
    fleet.tick();
    return new LostOnSpot(fleet, spot, agent);
  }

  /** What {@link #loseABuildOnSpot} made: the running fleet, the vanished host and its agent. */
  private record LostOnSpot(FleetRuntime fleet, String spot, String agent) {}

  @Test
  void noLossIsAnEmptyList() throws Exception {
    rig.host(OD, Market.ON_DEMAND);
    FleetRuntime fleet = start();
    fleet.tick();
    assertEquals(0, render("/api/losses", source(fleet)).size());
  }

  @Test
  void aLostBuildIsToldInTheNotes() {
    LostOnSpot lost = loseABuildOnSpot();
    String spot = lost.spot();
    String agent = lost.agent();
    FleetRuntime fleet = lost.fleet();

    DashboardSnapshot s = new FleetViewSource(fleet.view()).snapshot();
    assertTrue(
        s.notes().stream()
            .anyMatch(
                n ->
                    n.startsWith(
                        "lost build on agent "
                            + agent
                            + " on host "
                            + spot
                            + ": host "
                            + spot
                            + " vanished (")),
        s.notes().toString());
  }

  /**
   * A loss whose record names no host (no producer of the orchestrator writes one; only a journal
   * record without its host reads so): the note leaves the host out, the reason says what happened.
   */
  @Test
  void aLossWithoutAHostIsToldWithoutOne() {
    assertEquals(
        "lost build on agent nest-1: agent VM not running on any host at restart; requeued as"
            + " agent-9",
        FleetViewSource.note(
            new LostRecord(
                "nest-1", null, "agent VM not running on any host at restart", "agent-9", null)));
    assertEquals(
        "lost build on agent nest-1 on host h-1: boot on h-1 failed",
        FleetViewSource.note(new LostRecord("nest-1", "h-1", "boot on h-1 failed", null, null)));
  }

  /**
   * A VM that fails to boot is a lost build on a host that is still there: the note says the boot
   * failed, naming the host, not that it vanished.
   */
  @Test
  void aFailedBootIsToldAsAFailedBootInTheNotes() {
    String od = rig.host(OD, Market.ON_DEMAND);
    FleetRuntime fleet = start();
    fleet.requestAgent(
        new AgentOrder(
            "nest-1",
            "nest/linux",
            2048,
            MarketPolicy.PREFER_SPOT,
            Duration.ofHours(1),
            AgentBootSpec.minimal("nest-1", 2048),
            CopyRequest.REFUSED));
    rig.world.bootsTimeOutOn(od, true); // the VM starts, the call times out
    fleet.tick();

    DashboardSnapshot s = new FleetViewSource(fleet.view()).snapshot();
    String requeued = fleet.view().snapshot().lost().get(0).requeuedAs();
    assertTrue(
        s.notes()
            .contains(
                "lost build on agent nest-1 on host "
                    + od
                    + ": boot on "
                    + od
                    + " failed: boot of nest-1 on "
                    + od
                    + " timed out; requeued as "
                    + requeued),
        s.notes().toString());
  }

  @Test
  void poolsShowWhichIsClosedOrDrainingWhySinceAndUntil() throws Exception {
    String od = rig.host(OD, Market.ON_DEMAND);
    rig.agent(od, 2048, true);
    rig.host(SPOT_B, Market.SPOT);
    rig.strategy.risk.put(SPOT_A, 0.25);
    rig.strategy.risk.put(SPOT_B, 0.75);
    rig.world.noSpotCapacityIn(SPOT_A);
    rig.strategy.spotLaunches.add(SPOT_A);
    FleetRuntime fleet = start();
    fleet.tick(); // the spot launch in A is tried
    rig.clock.advance(Duration.ofSeconds(30));
    Instant failedAt = rig.clock.instant();
    Instant leaveBy = failedAt.plus(Duration.ofMinutes(5));
    Instant quietEnd = failedAt.plus(Duration.ofMinutes(15));
    rig.strategy.drains.add(new PoolDrain(SPOT_B, leaveBy, quietEnd, "burst drain: notice for x"));
    fleet.tick(); // the launch failed: A closes; B drains

    JsonNode pools = render("/api/pools", new FleetViewSource(fleet.view()).snapshot());

    JsonNode a = find(pools, "pool", "c8i.2xlarge@use1-az1");
    assertEquals("use1-az1", a.get("zone").asText());
    assertEquals("closed", a.get("state").asText());
    assertEquals(
        "no-capacity", a.get("kind").asText(), "closed by the spot launch without capacity");
    assertTrue(a.get("reason").asText().startsWith("spot launch failed: "), a.toString());
    assertEquals(failedAt.toEpochMilli(), a.get("sinceEpochMs").asLong());
    assertEquals(
        failedAt.plus(FleetConfig.DEFAULT_CAPACITY_HOLD).toEpochMilli(),
        a.get("untilEpochMs").asLong());
    assertTrue(a.get("drainByEpochMs").isNull(), a.toString());
    assertEquals(0.25, a.get("risk").asDouble());
    JsonNode drained = find(pools, "pool", "c8i.2xlarge@use1-az2");
    assertEquals("draining", drained.get("state").asText());
    assertEquals("burst-drain", drained.get("kind").asText(), "the strategy's burst drain");
    assertEquals("burst drain: notice for x", drained.get("reason").asText());
    assertEquals(failedAt.toEpochMilli(), drained.get("sinceEpochMs").asLong());
    assertEquals(quietEnd.toEpochMilli(), drained.get("untilEpochMs").asLong());
    assertEquals(leaveBy.toEpochMilli(), drained.get("drainByEpochMs").asLong());
    assertEquals(0.75, drained.get("risk").asDouble());

    rig.strategy.spotLaunches.clear();
    rig.clock.advance(Duration.ofMinutes(16));
    fleet.tick();
    for (JsonNode p : render("/api/pools", source(fleet))) {
      assertEquals("open", p.get("state").asText(), "both reopened: " + p);
      assertTrue(p.get("reason").isNull() && p.get("untilEpochMs").isNull(), p.toString());
      assertTrue(p.get("kind").isNull(), p.toString());
    }
  }

  private static DashboardSnapshot source(FleetRuntime fleet) {
    return new FleetViewSource(fleet.view()).snapshot();
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode n : array) {
      if (n.get(field).asText().equals(value)) {
        return n;
      }
    }
    throw new AssertionError("no " + field + "=" + value + " in " + array);
  }

  @Test
  void everyClosureKindIsAKindTheDashboardShows() {
    for (ClosureKind k : ClosureKind.values()) {
      String name = FleetViewSource.kindName(k);
      assertTrue(PoolView.KINDS.contains(name), k + " as " + name + " not in " + PoolView.KINDS);
    }
    assertEquals("launch-failed", FleetViewSource.kindName(ClosureKind.LAUNCH_FAILED));
    assertEquals("unsupported", FleetViewSource.kindName(ClosureKind.UNSUPPORTED));
  }
}
