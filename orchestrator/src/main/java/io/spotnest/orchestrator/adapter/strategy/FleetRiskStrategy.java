package io.spotnest.orchestrator.adapter.strategy;

import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.Assessment;
import io.spotnest.orchestrator.port.CrossZoneCopyCost;
import io.spotnest.orchestrator.port.Evacuation;
import io.spotnest.orchestrator.port.LiveHostView;
import io.spotnest.orchestrator.port.PoolDrain;
import io.spotnest.orchestrator.port.PoolSignals;
import io.spotnest.orchestrator.port.RiskStrategy;
import io.spotnest.orchestrator.port.SpareLaunch;
import io.spotnest.orchestrator.port.SpotHostView;
import io.spotnest.orchestrator.tick.FleetConfig;
import io.spotnest.strategy.fleet.Consolidation;
import io.spotnest.strategy.fleet.CopyDecision;
import io.spotnest.strategy.fleet.CopyMode;
import io.spotnest.strategy.fleet.Destination;
import io.spotnest.strategy.fleet.FleetDecision;
import io.spotnest.strategy.fleet.HostView;
import io.spotnest.strategy.fleet.MoveBackPlan;
import io.spotnest.strategy.fleet.NoticeResponse;
import io.spotnest.strategy.fleet.PoolOffer;
import io.spotnest.strategy.fleet.RiskEvacuation;
import io.spotnest.strategy.fleet.StandingCopyPlan;
import io.spotnest.strategy.fleet.WarmSparePlan;
import io.spotnest.strategy.policy.CrossZoneTransfer;
import io.spotnest.strategy.policy.MigrationPolicy;
import io.spotnest.strategy.policy.MigrationTimeEstimator;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.policy.StandingCopyAssumptions;
import io.spotnest.strategy.risk.Hazard;
import io.spotnest.strategy.risk.RiskModel;
import io.spotnest.strategy.signal.PoolId;
import io.spotnest.strategy.sim.SimConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The {@link RiskStrategy} port on spot-strategy's public fleet strategy ({@code
 * io.spotnest.strategy.fleet}), the code the simulator scores: {@link NoticeResponse} for each host
 * under notice, {@link RiskEvacuation} for risky hosts (both leave an agent with a standing copy a
 * notice may flush to that flush, as the simulator does), {@link MoveBackPlan} (only when nothing
 * left early), {@link Consolidation} and {@link WarmSparePlan}, each seeing the moves the earlier
 * ones decided, then {@link StandingCopyPlan} over what stays, at the simulator's marginal cost of
 * a copy (the same {@code decide} with the copies held, the free backup room by zone, a new
 * backup's cost and its copies). The orchestrator's live hosts become {@link HostView}s (GiB, zone
 * id as zone); the decisions become evacuations with destinations, spare launches, the agents to
 * keep a standing copy of and, with burst drain, pool drains.
 */
public final class FleetRiskStrategy implements RiskStrategy {
  private static final double MIB_PER_GIB = 1024;
  private static final StandingCopyAssumptions COPIES = StandingCopyAssumptions.DEFAULTS;
  private static final CrossZoneTransfer TRANSFER =
      new CrossZoneTransfer(SimConfig.DEFAULTS.crossZoneUsdPerGBEachWay());
  private final RiskModel model;
  private final Settings settings;
  private final NoticeResponse notices;
  private final RiskEvacuation risky;
  private final MoveBackPlan moveBack;
  private final Consolidation consolidation;
  private final WarmSparePlan spares;
  private final MigrationPolicy policy;

  /**
   * How the fleet strategy is tuned; {@link #simulated} gives the simulator's values.
   *
   * @param launchTime from requesting a host until it takes agents
   * @param onDemandRoomGiB room for agents on the on-demand host the orchestrator launches
   * @param minOnDemand an agent stays this long on on-demand before it may move back
   * @param crossZoneCostPerGiB transfer cost per GiB between zones, in the policy's cost unit
   * @param linkShares concurrent migrations sharing a host's link
   * @param hostOverheadGiB memory a host keeps for itself
   * @param noticeWindow the warning a noticed host's agents have to leave in
   * @param spareIdle a surplus spare is released only after being kept this long
   * @param sparesRegardlessOfHazard keep room for every savable agent, whatever the hazard
   * @param burstWindow with burst drain, the deadline given to a noticed pool's other hosts
   * @param calmP15 a spot pool below this 15-minute risk receives evacuated agents and moves back
   * @param moveHorizon deadline given to a move without one (moves back, consolidation)
   * @param homeZone where spares go when no pool needs any
   * @param assumedSpotToOnDemand spot/on-demand ratio used for a pool without a price quote
   */
  public record Settings(
      Duration launchTime,
      double onDemandRoomGiB,
      Duration minOnDemand,
      double crossZoneCostPerGiB,
      int linkShares,
      double hostOverheadGiB,
      Duration noticeWindow,
      Duration spareIdle,
      boolean sparesRegardlessOfHazard,
      Optional<Duration> burstWindow,
      double calmP15,
      Duration moveHorizon,
      String homeZone,
      double assumedSpotToOnDemand) {
    public Settings {
      Objects.requireNonNull(launchTime, "launchTime");
      Objects.requireNonNull(minOnDemand, "minOnDemand");
      Objects.requireNonNull(noticeWindow, "noticeWindow");
      Objects.requireNonNull(spareIdle, "spareIdle");
      Objects.requireNonNull(burstWindow, "burstWindow");
      Objects.requireNonNull(moveHorizon, "moveHorizon");
      Objects.requireNonNull(homeZone, "homeZone");
      if (!(onDemandRoomGiB > 0)) {
        throw new IllegalArgumentException(
            "onDemandRoomGiB must be positive, got " + onDemandRoomGiB);
      }
      if (!(assumedSpotToOnDemand > 0 && assumedSpotToOnDemand <= 1)) {
        throw new IllegalArgumentException(
            "assumedSpotToOnDemand must be in (0, 1], got " + assumedSpotToOnDemand);
      }
    }

    /**
     * The values the simulator scores ({@link SimConfig#DEFAULTS}, the strategy's 10-minute
     * on-demand dwell, spares sized by hazard, no burst drain, moves only within a zone), for
     * on-demand hosts with {@code onDemandRoomGiB} for agents.
     */
    public static Settings simulated(double onDemandRoomGiB, String homeZone) {
      SimConfig c = SimConfig.DEFAULTS;
      return new Settings(
          Duration.ofSeconds(c.launchSeconds()),
          onDemandRoomGiB,
          Duration.ofMinutes(10),
          Double.NaN,
          c.maxMigrationsPerSource(),
          c.hostOverheadGiB(),
          Duration.ofSeconds(c.noticeSeconds() - c.tickSeconds()),
          Duration.ofSeconds(c.idleSeconds()),
          false,
          Optional.empty(),
          0.05,
          Duration.ofMinutes(15),
          homeZone,
          0.35);
    }
  }

  public FleetRiskStrategy(
      RiskModel model,
      PolicyParameters parameters,
      MigrationTimeEstimator estimator,
      Settings settings) {
    this.model = Objects.requireNonNull(model, "model");
    this.settings = Objects.requireNonNull(settings, "settings");
    MigrationPolicy policy = new MigrationPolicy(parameters, estimator);
    this.policy = policy;
    double room = settings.onDemandRoomGiB();
    this.notices = new NoticeResponse(estimator, settings.launchTime(), ram -> room);
    this.risky = new RiskEvacuation(policy, settings.launchTime(), ram -> room);
    this.moveBack =
        new MoveBackPlan(
            policy, settings.launchTime(), settings.minOnDemand(), settings.crossZoneCostPerGiB());
    this.consolidation = new Consolidation(policy);
    this.spares =
        new WarmSparePlan(
            parameters,
            estimator,
            settings.linkShares(),
            settings.hostOverheadGiB(),
            settings.noticeWindow(),
            settings.spareIdle(),
            room,
            ram -> room);
  }

  /**
   * Spot hosts only (the older port call): no on-demand host is known, so evacuations launch
   * on-demand.
   */
  @Override
  public Assessment assess(
      Instant now, Collection<PoolSignals> pools, List<SpotHostView> spotHosts) {
    List<LiveHostView> hosts = new ArrayList<>();
    for (SpotHostView h : spotHosts) {
      long used =
          h.agents().stream().mapToLong(io.spotnest.orchestrator.port.AgentView::ramMiB).sum();
      hosts.add(
          new LiveHostView(
              h.hostId(),
              Market.SPOT,
              h.pool(),
              Math.max(used, 1),
              used,
              now,
              h.notice().isEmpty(),
              h.notice(),
              false,
              now,
              h.agents()));
    }
    return decide(now, pools, hosts);
  }

  /** As {@link #decide(Instant, Collection, List, CopyMode)} in the default copy mode. */
  @Override
  public Assessment decide(Instant now, Collection<PoolSignals> pools, List<LiveHostView> hosts) {
    return decide(now, pools, hosts, FleetConfig.DEFAULT_COPY_MODE);
  }

  /**
   * The fleet strategy's decisions, then its {@link StandingCopyPlan} in {@code copyMode} over the
   * planned fleet's agents that mode may copy: those whose request asked for a standing copy, and
   * in {@link CopyMode#AT_RISK} those that left it to the fleet (agents that leave are not given a
   * copy; the others never are, nor do they take a host link's copy streams).
   */
  @Override
  public Assessment decide(
      Instant now, Collection<PoolSignals> pools, List<LiveHostView> hosts, CopyMode copyMode) {
    Map<PoolId, Hazard> hazards = new LinkedHashMap<>();
    Map<PoolId, PoolSignals> signals = new LinkedHashMap<>();
    for (PoolSignals p : pools) {
      hazards.put(PoolSnapshots.id(p.pool()), model.assess(PoolSnapshots.of(p, now)));
      signals.put(PoolSnapshots.id(p.pool()), p);
    }
    for (LiveHostView h : hosts) {
      if (h.market() == Market.SPOT) {
        hazards.computeIfAbsent(
            PoolSnapshots.id(h.pool()), id -> model.assess(PoolSnapshots.empty(h.pool(), now)));
      }
    }
    Map<PoolKey, Double> risk = new LinkedHashMap<>();
    List<PoolKey> spotLaunches = new ArrayList<>();
    hazards.forEach((id, hz) -> risk.put(new PoolKey(id.instanceType(), id.zone()), hz.p15()));
    PlannedViews plan = new PlannedViews(views(hosts));
    Set<String> copied = copied(hosts);
    List<Evacuation> out = new ArrayList<>();
    List<PoolDrain> drains = new ArrayList<>();
    for (LiveHostView h : hosts) {
      if (h.notice().isPresent()) {
        Optional<Instant> burst = settings.burstWindow().map(now::plus);
        List<FleetDecision> answer =
            plan.apply(
                notices.onNotice(
                    plan.views(),
                    h.hostId(),
                    now,
                    h.notice().get(),
                    burst,
                    pool ->
                        hazards.containsKey(pool) && hazards.get(pool).p15() < settings.calmP15(),
                    copied::contains));
        for (FleetDecision d : answer) {
          if (d instanceof FleetDecision.DrainPool p
              && drains.stream().noneMatch(x -> x.pool().equals(key(p.pool())))) {
            drains.add(
                new PoolDrain(
                    key(p.pool()),
                    p.deadline(),
                    p.quietUntil(),
                    "burst drain: notice for " + h.hostId()));
          }
        }
        out.addAll(map(plan, answer, "interruption notice", now));
      }
    }
    List<PoolOffer> anyOffer = offers(hazards, signals, now, false);
    List<Evacuation> early =
        map(
            plan,
            plan.apply(risky.decide(plan.views(), anyOffer, now, copied::contains)),
            "risk: leave early",
            now);
    out.addAll(early);
    if (early.isEmpty()) {
      List<PoolOffer> open = offers(hazards, signals, now, true);
      for (LiveHostView h : hosts) {
        if (h.market() != Market.ON_DEMAND) {
          continue;
        }
        for (io.spotnest.orchestrator.port.AgentView a : h.agents()) {
          HostView host = plan.host(h.hostId());
          host.agents().stream()
              .filter(v -> v.id().equals(a.agentId()))
              .findFirst()
              .flatMap(v -> moveBack.decide(plan.views(), host, v, open, now))
              .ifPresent(
                  d -> {
                    out.addAll(map(plan, plan.apply(List.of(d)), "move back to spot", now));
                    if (d.to() instanceof Destination.NewSpotHost n) {
                      PoolKey key = new PoolKey(n.pool().instanceType(), n.pool().zone());
                      if (!spotLaunches.contains(key)) {
                        spotLaunches.add(
                            key); // the move itself follows once the host is there to be named
                      }
                    }
                  });
        }
      }
    }
    out.addAll(
        map(
            plan,
            plan.apply(consolidation.consolidateOnce(plan.views(), now)),
            "consolidation",
            now));
    List<SpareLaunch> launches = new ArrayList<>();
    List<String> releases = new ArrayList<>();
    for (FleetDecision d :
        spares.keep(
            plan.views(),
            List.copyOf(hazards.keySet()),
            hazards,
            settings.sparesRegardlessOfHazard(),
            settings.homeZone(),
            now)) {
      if (d instanceof FleetDecision.LaunchSpare l) {
        launches.add(new SpareLaunch(l.zone(), Math.round(l.agentGiB() * MIB_PER_GIB)));
      } else if (d instanceof FleetDecision.Release r) {
        releases.add(r.hostId());
      }
    }
    List<String> copies =
        copies(
            plan.views(),
            askingForCopies(plan.views(), hosts, copyMode),
            copyMode,
            anyOffer,
            now,
            copied,
            usdPerCostUnit(signals, hosts));
    return new Assessment(risk, out, launches, spotLaunches, releases, drains, copies);
  }

  /**
   * A standing copy of an agent of {@code ramMiB} whose backup is in another zone: its stream's
   * traffic at the simulator's dirty rate ({@link SimConfig#DEFAULTS}) and its first sync, priced
   * by the simulator's {@link CrossZoneTransfer}.
   */
  @Override
  public Optional<CrossZoneCopyCost> crossZoneCopyCost(long ramMiB) {
    double stream = CrossZoneTransfer.standingStreamGiBPerHour(SimConfig.DEFAULTS.migration());
    double sync = ramMiB / MIB_PER_GIB;
    return Optional.of(
        new CrossZoneCopyCost(stream, TRANSFER.usdFor(stream), sync, TRANSFER.usdFor(sync)));
  }

  /**
   * The agents of {@code asking} that keep a standing copy: the {@link StandingCopyPlan} at the
   * simulator's marginal cost of a copy, zone by zone (its marginal price is per zone). A copy that
   * finds backup room in its zone pays a backup's share; the next ones, when another zone has room,
   * go there ({@code StandingCopies} takes another zone before the source's own spot pool) and pay
   * that share plus their stream's cross-zone transfer per hour, each; with no room anywhere they
   * need a new backup, as in the simulator. Copies already held, and those of {@link
   * CopyMode#ALWAYS} or affordable ones, are kept at the share whatever zone they stand in (the
   * plan prices only new copies at the margin); their transfer is journaled when they start.
   */
  private List<String> copies(
      List<HostView> planned,
      List<HostView> asking,
      CopyMode copyMode,
      List<PoolOffer> offers,
      Instant now,
      Set<String> copied,
      Optional<Double> usdPerCostUnit) {
    int perBackup = COPIES.copiesPerBackup(SimConfig.DEFAULTS.migration());
    double backupCost =
        usdPerCostUnit.map(u -> COPIES.backupUsdPerHour() / u).orElse(Double.MAX_VALUE);
    double share = backupCost / perBackup;
    double crossZone =
        usdPerCostUnit
            .map(
                u ->
                    share
                        + TRANSFER.costPerGiB(u)
                            * CrossZoneTransfer.standingStreamGiBPerHour(
                                SimConfig.DEFAULTS.migration()))
            .orElse(Double.MAX_VALUE);
    StandingCopyPlan plan =
        new StandingCopyPlan(
            policy, copyMode, share, COPIES.copiesPerHost(SimConfig.DEFAULTS.migration()));
    BackupRoom room = BackupRoom.of(planned, asking, perBackup);
    Map<String, List<HostView>> byZone = new LinkedHashMap<>();
    for (HostView h : asking) {
      byZone.computeIfAbsent(h.zone(), z -> new ArrayList<>()).add(h);
    }
    Set<String> kept = new HashSet<>();
    byZone.forEach(
        (zone, hostsOfZone) -> {
          boolean elsewhere = room.elsewhere(zone);
          for (CopyDecision d :
              plan.decide(
                  hostsOfZone,
                  offers,
                  now,
                  copied::contains,
                  Map.of(zone, room.inZone(zone, elsewhere)),
                  elsewhere ? crossZone : backupCost,
                  elsewhere ? 1 : perBackup)) {
            if (d.keep()) {
              kept.add(d.agentId());
            }
          }
        });
    List<String> out = new ArrayList<>();
    for (HostView h : asking) {
      for (io.spotnest.strategy.fleet.AgentView a : h.agents()) {
        if (kept.contains(a.id())) {
          out.add(a.id());
        }
      }
    }
    return out;
  }

  /**
   * USD per cost unit (the policy's GiB-hour of on-demand), as the simulator converts a backup's
   * price and the cross-zone transfer ({@code Simulator}'s backup rate and transfer price): the
   * on-demand price per GiB of the first quoted spot pool with a host of ours. A backup of {@link
   * StandingCopyAssumptions#DEFAULTS} costs its USD price over this; one copy costs its share
   * ({@code / copiesPerBackup}). Without such a quote the cost is unknown and taken as prohibitive
   * (no copy in {@link CopyMode#HAZARD}).
   *
   * <p>The orchestrator's own price of the backup it would launch for copies does not exist: when
   * no ready host has room it launches its usual on-demand host ({@code StandingCopies}, {@code
   * HostKeeper.launchFor}), whose price the feed does not quote by itself. The closest honest value
   * is the figure the simulator scores, so that both price a copy alike.
   */
  private static Optional<Double> usdPerCostUnit(
      Map<PoolId, PoolSignals> signals, List<LiveHostView> hosts) {
    for (LiveHostView h : hosts) {
      PoolSignals s = h.market() == Market.SPOT ? signals.get(PoolSnapshots.id(h.pool())) : null;
      double od = s == null ? 0 : s.quote().map(q -> q.onDemandUsdPerHour()).orElse(0.0);
      if (od > 0 && h.capacityMiB() > 0) {
        return Optional.of(od / (h.capacityMiB() / MIB_PER_GIB));
      }
    }
    return Optional.empty();
  }

  /**
   * Free backup slots by zone, the simulator's {@code Fleet.freeBackupSlots} from what the
   * orchestrator has: its backups are not dedicated hosts but any host with room that takes agents
   * ({@code StandingCopies} picks a ready one; a launching one is counted as the simulator counts a
   * launching backup's slots, its cost being paid already). Each such host of the planned fleet
   * (this tick's moves taken) holds as many more copies as its free memory has room for the largest
   * asking agent, at most {@code perBackup} (a full backup's flushes in a row). Copies it holds
   * already are counted by their reserved memory. The agent's own host is not told apart from the
   * others of its zone.
   */
  private record BackupRoom(Map<HostView, Integer> slots, Map<String, Set<PoolId>> askingPools) {
    static BackupRoom of(List<HostView> planned, List<HostView> asking, int perBackup) {
      double slotGiB = 0;
      Map<String, Set<PoolId>> pools = new LinkedHashMap<>();
      for (HostView h : asking) {
        if (h.spot() && !h.notified() && !h.agents().isEmpty()) {
          pools.computeIfAbsent(h.zone(), z -> new HashSet<>()).add(h.pool().get());
          for (io.spotnest.strategy.fleet.AgentView a : h.agents()) {
            slotGiB = Math.max(slotGiB, a.ramGiB());
          }
        }
      }
      Map<HostView, Integer> slots = new LinkedHashMap<>();
      for (HostView h : planned) {
        int n =
            slotGiB <= 0 || !h.acceptsAgents()
                ? 0
                : (int) Math.min(perBackup, Math.floor(h.freeGiB() / slotGiB));
        if (n > 0) {
          slots.put(h, n);
        }
      }
      return new BackupRoom(slots, pools);
    }

    /** Whether a host outside {@code zone} has room for a copy. */
    boolean elsewhere(String zone) {
      return slots.keySet().stream().anyMatch(h -> !h.zone().equals(zone));
    }

    /**
     * Slots in {@code zone}; without the spot hosts of the pools its asking agents run in when
     * {@code elsewhere} (then {@code StandingCopies} takes another zone first).
     */
    int inZone(String zone, boolean elsewhere) {
      Set<PoolId> own = askingPools.getOrDefault(zone, Set.of());
      int n = 0;
      for (Map.Entry<HostView, Integer> e : slots.entrySet()) {
        HostView h = e.getKey();
        boolean ownPool = h.spot() && own.contains(h.pool().get());
        if (h.zone().equals(zone) && !(elsewhere && ownPool)) {
          n += e.getValue();
        }
      }
      return n;
    }
  }

  /**
   * The agents that keep a standing copy a notice may flush now: neither a notice's response nor
   * the risk lane moves them (a notice only needs their flush), as in the simulator.
   */
  private static Set<String> copied(List<LiveHostView> hosts) {
    return agentIds(hosts, io.spotnest.orchestrator.port.AgentView::copied);
  }

  /** The ids of the live hosts' agents {@code which} holds for. */
  private static Set<String> agentIds(
      List<LiveHostView> hosts, Predicate<io.spotnest.orchestrator.port.AgentView> which) {
    Set<String> out = new HashSet<>();
    for (LiveHostView h : hosts) {
      for (io.spotnest.orchestrator.port.AgentView a : h.agents()) {
        if (which.test(a)) {
          out.add(a.agentId());
        }
      }
    }
    return out;
  }

  /**
   * The hosts with only their agents that {@code copyMode} may copy: those whose request asked for
   * a standing copy, and in {@link CopyMode#AT_RISK} those that left it to the fleet (as the
   * simulator's {@code Build.mayBeCopied}); never those that refused.
   */
  private static List<HostView> askingForCopies(
      List<HostView> views, List<LiveHostView> hosts, CopyMode copyMode) {
    Set<String> asking = agentIds(hosts, a -> copyMode.mayCopy(a.copy()));
    return StandingCopyPlan.onlyAsking(views, asking::contains);
  }

  private static PoolKey key(PoolId id) {
    return new PoolKey(id.instanceType(), id.zone());
  }

  /**
   * Pools as candidates: the price ratio of the latest quote; with {@code quiet} open only when
   * calm, with no reclamation or rebalance recommendation in the last {@code minOnDemand}.
   */
  private List<PoolOffer> offers(
      Map<PoolId, Hazard> hazards, Map<PoolId, PoolSignals> signals, Instant now, boolean quiet) {
    List<PoolOffer> out = new ArrayList<>();
    Instant since = now.minus(settings.minOnDemand());
    hazards.forEach(
        (id, hz) -> {
          PoolSignals s = signals.get(id);
          double ratio =
              s == null
                  ? settings.assumedSpotToOnDemand()
                  : s.quote()
                      .filter(q -> q.onDemandUsdPerHour() > 0)
                      .map(q -> q.spotToOnDemand())
                      .orElse(settings.assumedSpotToOnDemand());
          boolean recent =
              s != null
                  && (s.reclamations().stream().anyMatch(t -> t.isAfter(since))
                      || s.rebalanceAt().filter(t -> t.isAfter(since)).isPresent());
          out.add(
              new PoolOffer(id, ratio, hz, !quiet || (hz.p15() < settings.calmP15() && !recent)));
        });
    return out;
  }

  /**
   * Evacuations for the decisions: a named host is the destination, a new on-demand host is left to
   * the caller.
   */
  private List<Evacuation> map(
      PlannedViews plan, List<FleetDecision> decisions, String reason, Instant now) {
    List<Evacuation> out = new ArrayList<>();
    for (FleetDecision d : decisions) {
      if (d instanceof FleetDecision.Evacuate e) {
        out.add(
            new Evacuation(
                e.agentId(),
                e.fromHostId(),
                e.deadline(),
                e.forced(),
                reason,
                hostOf(e.to(), plan)));
      } else if (d instanceof FleetDecision.Move m
          && m.to() instanceof Destination.Host h
          && plan.has(h.hostId())) {
        out.add(
            new Evacuation(
                m.agentId(),
                m.fromHostId(),
                now.plus(settings.moveHorizon()),
                false,
                reason,
                Optional.of(h.hostId())));
      }
    }
    return out;
  }

  /**
   * The named host if it exists; a host the plan launches (its key) is the caller's on-demand
   * launch.
   */
  private static Optional<String> hostOf(Destination d, PlannedViews plan) {
    return d instanceof Destination.Host h && plan.has(h.hostId())
        ? Optional.of(h.hostId())
        : Optional.empty();
  }

  private static List<HostView> views(List<LiveHostView> hosts) {
    List<HostView> out = new ArrayList<>();
    for (LiveHostView h : hosts) {
      List<io.spotnest.strategy.fleet.AgentView> agents = new ArrayList<>();
      for (io.spotnest.orchestrator.port.AgentView a : h.agents()) {
        agents.add(
            new io.spotnest.strategy.fleet.AgentView(
                a.agentId(),
                a.ramMiB() / MIB_PER_GIB,
                a.migrating(),
                a.elapsed(),
                a.expectedRemaining(),
                a.onHostFor()));
      }
      boolean spot = h.market() == Market.SPOT;
      out.add(
          new HostView(
              h.hostId(),
              spot ? Optional.of(PoolSnapshots.id(h.pool())) : Optional.empty(),
              h.pool().zoneId(),
              h.capacityMiB() / MIB_PER_GIB,
              h.usedMiB() / MIB_PER_GIB,
              h.readyAt(),
              !h.takesAgents() && h.notice().isEmpty(),
              h.notice().isPresent(),
              h.inbound(),
              !spot && h.agents().isEmpty() && h.takesAgents(),
              h.launchedAt(),
              agents));
    }
    return out;
  }
}
