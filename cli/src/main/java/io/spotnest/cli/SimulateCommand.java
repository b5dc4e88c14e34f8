package io.spotnest.cli;

import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.data.CapacityTraceReader;
import io.spotnest.strategy.data.SpotAdvisorData;
import io.spotnest.strategy.fleet.CopyMode;
import io.spotnest.strategy.policy.MigrationAssumptions;
import io.spotnest.strategy.policy.PolicyParameters;
import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.sim.BuildLengthEstimate;
import io.spotnest.strategy.sim.ComparisonTable;
import io.spotnest.strategy.sim.CopyWish;
import io.spotnest.strategy.sim.MarketBuilder;
import io.spotnest.strategy.sim.OursOptions;
import io.spotnest.strategy.sim.PoolMarket;
import io.spotnest.strategy.sim.SimConfig;
import io.spotnest.strategy.sim.SimResult;
import io.spotnest.strategy.sim.Simulator;
import io.spotnest.strategy.sim.Workload;
import io.spotnest.strategy.sim.WorkloadGenerator;
import io.spotnest.strategy.sim.WorkloadReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spotnest simulate}: replays spot traces against a build workload and compares strategies.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description =
        "Replay spot traces against a build workload: on-demand only, spot + restart, spot + migrate on "
            + "notice, ours, and the oracle, side by side.")
public final class SimulateCommand implements Callable<Integer> {
  @Mixin TraceInputs inputs;

  @Option(
      names = "--workload",
      paramLabel = "FILE",
      converter = OptionValues.ReadableFile.class,
      description =
          "CSV 'arrival_min,duration_min,ram_gib' (default: a generated CI workload, see --arrivals-per-hour).")
  Path workload;

  @Option(
      names = "--arrivals-per-hour",
      defaultValue = "12",
      converter = OptionValues.ArrivalsPerHour.class,
      description = "Generated workload: builds per hour (default ${DEFAULT-VALUE}).")
  double arrivalsPerHour;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description =
          "Seed of the generated workload, bursts and generated reclamations (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--link-gbit",
      defaultValue = "" + MigrationAssumptions.DEFAULT_LINK_GBIT,
      converter = OptionValues.PositiveNumber.class,
      description = "Host link, Gbit/s (assumption, default ${DEFAULT-VALUE}).")
  double linkGbit;

  @Option(
      names = "--efficiency",
      defaultValue = "" + MigrationAssumptions.MEASURED_EFFICIENCY,
      converter = OptionValues.Fraction.class,
      description =
          "Migration stream efficiency on the link (default ${DEFAULT-VALUE}; from docs/benchmarks.md when measured).")
  double efficiency;

  @Option(
      names = "--dirty-mibps",
      defaultValue = "" + MigrationAssumptions.COMPILE_DIRTY_MIBPS,
      converter = OptionValues.NonNegativeNumber.class,
      description =
          "Guest dirty rate during a build, MiB/s (compile-like assumption, default ${DEFAULT-VALUE}).")
  double dirtyMiBps;

  @Option(
      names = "--launch-min",
      defaultValue = "3",
      converter = OptionValues.LaunchMinutes.class,
      description =
          "Minutes from requesting a host to it taking agents (default ${DEFAULT-VALUE}).")
  double launchMin;

  @Option(
      names = "--fit",
      defaultValue = "true",
      negatable = true,
      fallbackValue = "true",
      description =
          "Fit the risk model on the first 60%% of each trace and score only the rest of the run (default "
              + "${DEFAULT-VALUE}); the simulation runs causally over the whole trace, the fitted part only warms it up. "
              + "--no-fit: default parameters, the whole run scored.")
  boolean fit;

  @Option(
      names = "--fit-trace",
      paramLabel = "FILE",
      converter = OptionValues.ReadableFile.class,
      description =
          "Fit the risk model on these whole traces (repeat for several) and score the whole run. "
              + "Refused: a trace with the same samples as a --trace (a copy, at any path), and a trace "
              + "of a --trace's pool (instance type and zone) unless it ended before that trace "
              + "began: a trace started within the day its directory names (<cloud>-MM-DD-YYYY), so it "
              + "ended by the end of that day plus its length; without such a directory it is refused.")
  List<Path> fitTraces = new ArrayList<>();

  @Option(
      names = "--lost-build-hour-cost",
      defaultValue = "1.0",
      converter = OptionValues.NonNegativeNumber.class,
      description =
          "Policy: cost of one lost build-hour per GiB of agent, in on-demand GiB-hours (default ${DEFAULT-VALUE}).")
  double lostBuildHourCost;

  @Option(
      names = "--restart-penalty",
      defaultValue = "0.5",
      converter = OptionValues.NonNegativeNumber.class,
      description =
          "Policy: fixed cost of a restarted build per GiB of agent, in on-demand GiB-hours (default ${DEFAULT-VALUE}).")
  double restartPenalty;

  @Option(
      names = "--warm-spares",
      defaultValue = "HAZARD",
      paramLabel = "MODE",
      description =
          "Ours: ready on-demand spares for evacuations, paid for: OFF, HAZARD (kept while the hazard makes "
              + "them worth their cost) or ALWAYS (default ${DEFAULT-VALUE}).")
  OursOptions.SpareMode warmSpares;

  @Option(
      names = "--burst-drain",
      defaultValue = "true",
      negatable = true,
      fallbackValue = "true",
      description =
          "Ours: on the first notice in a pool, evacuate all our hosts there and avoid the pool for 15 min (default ${DEFAULT-VALUE}).")
  boolean burstDrain;

  @Option(
      names = "--standing-copies",
      defaultValue = "HAZARD",
      paramLabel = "MODE",
      description =
          "Ours: standing copies on backup hosts for agents on spot: OFF, HAZARD (where the expected loss "
              + "beats the copy's cost), AFFORDABLE (also where the copy costs less than the spot "
              + "saving), ALWAYS, or AT_RISK (HAZARD's rule also for builds that did not ask, never for builds "
              + "that refused) (default ${DEFAULT-VALUE}).")
  CopyMode standingCopies;

  @Option(
      names = "--copy-wish",
      defaultValue = "long:60",
      paramLabel = "RULE",
      converter = OptionValues.CopyWishRule.class,
      description =
          "Which builds asked for a standing copy (the orchestrator's per-agent wish, a template's "
              + "box): all, none, or long:<minutes> (builds expected to run longer ask, the others leave it "
              + "to the fleet); a build that did not ask gets a copy only under --standing-copies "
              + "AT_RISK, and with none every build refuses one (default ${DEFAULT-VALUE}; all = "
              + "the simulator before the wish).")
  CopyWish copyWish;

  @Option(
      names = "--build-estimate",
      defaultValue = "conditional",
      paramLabel = "MODE",
      converter = OptionValues.BuildEstimate.class,
      description =
          "What the strategies without foresight know of a build's length: conditional (as the "
              + "orchestrator: expected, the mean length of the builds that finished before it "
              + "arrived, 60 min before any did; as the time left, the mean of what the finished "
              + "builds that ran longer than it so far still had left then), history (expected "
              + "minus the time elapsed, as the orchestrator did before) or exact (its true length, "
              + "hindsight); the oracle always knows it (default ${DEFAULT-VALUE}).")
  BuildLengthEstimate.Mode buildEstimate;

  @Spec CommandSpec spec;

  /**
   * The migration assumptions the options describe; a dirty rate the link cannot keep up with is
   * bad input.
   */
  private MigrationAssumptions migrationAssumptions() {
    double effectiveMiBps = new MigrationAssumptions(linkGbit, efficiency, 0).effectiveMiBps();
    if (dirtyMiBps >= effectiveMiBps) {
      throw OptionValues.invalid(
          spec,
          "--dirty-mibps",
          dirtyMiBps,
          String.format(
              Locale.ROOT,
              "must be below the effective link rate (--link-gbit x --efficiency = %.0f MiB/s), or no migration converges",
              effectiveMiBps));
    }
    return new MigrationAssumptions(linkGbit, efficiency, dirtyMiBps);
  }

  @Override
  public Integer call() {
    MigrationAssumptions migration = migrationAssumptions();
    Progress progress = Progress.of(spec);
    return CliErrors.guard(
        () -> {
          List<CapacityTrace> traces = inputs.loadTraces(progress);
          SpotAdvisorData advisor = inputs.loadAdvisor();
          SimConfig config =
              SimConfig.DEFAULTS
                  .withSeed(seed)
                  .withMigration(migration)
                  .withLaunchSeconds((int) Math.round(launchMin * 60));
          List<CapacityTrace> others = otherTraces(inputs.traces, traces);
          HazardParameters params =
              !others.isEmpty()
                  ? progress.during(
                      "fitting the risk model on " + others.size() + " other traces",
                      () -> new ModelFitting().fit(others, advisor, 1.0))
                  : fit
                      ? progress.during(
                          "fitting the risk model on the first 60% of the traces",
                          () -> new ModelFitting().fit(traces, advisor))
                      : HazardParameters.DEFAULTS;
          MarketBuilder builder = new MarketBuilder(advisor, params, seed);
          List<PoolMarket> pools = new ArrayList<>();
          for (CapacityTrace t : traces) {
            pools.add(builder.build(t));
          }
          Simulator sim = new Simulator(config, pools).withBuildEstimate(buildEstimate);
          String scored = "scored: the whole run (model not fitted: default parameters)";
          if (!others.isEmpty()) {
            scored =
                "scored: the whole run (model fitted on "
                    + others.size()
                    + " other trace(s), none of them simulated)";
          } else if (fit) {
            sim = sim.scoredFromSecond(heldOutFrom(traces, sim.lengthSeconds()));
            scored =
                String.format(
                    Locale.ROOT,
                    "scored: the last %.0f%% of the run (held out: the model was fitted on the "
                        + "first %.0f%% of each trace); from %.1f h of %.1f h",
                    100.0 * (sim.lengthSeconds() - sim.scoredFromSeconds()) / sim.lengthSeconds(),
                    ModelFitting.TRAIN_FRACTION * 100,
                    sim.scoredFromSeconds() / 3600.0,
                    sim.lengthSeconds() / 3600.0);
          }
          Workload w =
              (workload != null
                      ? new WorkloadReader().read(workload)
                      : new WorkloadGenerator()
                          .generate(
                              seed,
                              arrivalsPerHour,
                              Math.max(60, sim.lengthSeconds() / 60.0 - 240),
                              Math.min(64, sim.smallestUsableHostGiB())))
                  .withCopyWish(copyWish);
          System.out.println("workload: " + w.description() + ", " + w.builds().size() + " builds");
          for (PoolMarket p : pools) {
            System.out.printf(
                Locale.ROOT,
                "pool %s (%s): %.1f h, availability %.1f%%, %d reclamations%s; host %.0f GiB; %s%n",
                p.trace().pool(),
                p.trace().name(),
                p.trace().length().toMinutes() / 60.0,
                p.trace().availability() * 100,
                p.trace().reclamationTicks().size(),
                p.generatedReclamations() ? " (GENERATED: trace had none)" : "",
                p.hostRamGiB(),
                p.priceSource());
          }
          System.out.printf(
              Locale.ROOT,
              "migration: %.1f Gbit/s x %.2f efficiency, dirty %.0f MiB/s; launch %.1f min; "
                  + "notice 2 min; bursts within %d s; cost unit = on-demand GiB-hour of host%n",
              linkGbit,
              efficiency,
              dirtyMiBps,
              launchMin,
              config.burstSpreadSeconds());
          PolicyParameters d = PolicyParameters.DEFAULTS;
          PolicyParameters policy =
              new PolicyParameters(
                  lostBuildHourCost,
                  restartPenalty,
                  d.expectedOnDemandDwell(),
                  d.safetyMargin(),
                  d.decisionInterval(),
                  d.moveBackMaxRisk(),
                  d.moveBackMinRemaining(),
                  d.consolidateBelow());
          System.out.println(
              "ours: warm spares "
                  + warmSpares
                  + ", burst drain "
                  + (burstDrain ? "on" : "off")
                  + ", standing copies "
                  + standingCopies
                  + ", build lengths "
                  + buildEstimate.name().toLowerCase(Locale.ROOT));
          System.out.println(scored);
          Simulator scoredSim = sim;
          Map<String, SimResult> results =
              progress.during(
                  "simulating the strategies over " + w.builds().size() + " builds",
                  () ->
                      scoredSim.compare(
                          w,
                          params,
                          policy,
                          new OursOptions(warmSpares, burstDrain, standingCopies)));
          progress.finished("simulated");
          ComparisonTable table = new ComparisonTable();
          System.out.print(table.format(results));
          System.out.println(table.restartCauseLine(results));
          System.out.println(table.summaryLine(results));
        });
  }

  /**
   * The --fit-trace traces; each refused when it could hold what is scored ({@link FitTraceGuard}).
   */
  private List<CapacityTrace> otherTraces(List<Path> paths, List<CapacityTrace> simulated) {
    if (fitTraces.isEmpty()) {
      return List.of();
    }
    if (!fit) {
      throw new IllegalArgumentException("--fit-trace and --no-fit contradict each other");
    }
    List<FitTraceGuard.TraceFile> scored = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      scored.add(new FitTraceGuard.TraceFile(paths.get(i), simulated.get(i)));
    }
    FitTraceGuard guard = new FitTraceGuard();
    List<CapacityTrace> out = new ArrayList<>();
    for (Path p : fitTraces) {
      CapacityTrace t = new CapacityTraceReader().read(p);
      guard.check(new FitTraceGuard.TraceFile(p, t), scored);
      out.add(t);
    }
    return out;
  }

  /**
   * The first second after every trace's fitted part; the run (the shortest trace) must go beyond
   * it.
   */
  private static long heldOutFrom(List<CapacityTrace> traces, long runSeconds) {
    long from = 0;
    for (CapacityTrace t : traces) {
      from =
          Math.max(from, (long) Math.ceil(t.length().getSeconds() * ModelFitting.TRAIN_FRACTION));
    }
    if (from >= runSeconds) {
      throw new IllegalArgumentException(
          "--trace: the traces differ so much in length that the shortest ends "
              + "before the fitted part of the longest; nothing would be held out (use --no-fit or traces of similar length)");
    }
    return from;
  }
}
