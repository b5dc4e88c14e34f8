package io.spotnest.cli;

import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.data.SpotAdvisorData;
import io.spotnest.strategy.eval.ReportTable;
import io.spotnest.strategy.eval.RiskEvaluation;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spotnest evaluate}: fits the risk model on the early part of the traces and scores the
 * held-out rest.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description =
        "Causal evaluation of the reclamation risk model: precision, recall and lead time on a held-out period.")
public final class EvaluateCommand implements Callable<Integer> {
  @Mixin TraceInputs inputs;

  @Option(
      names = "--train-fraction",
      defaultValue = "0.6",
      converter = OptionValues.SplitFraction.class,
      description = "Leading fraction of each trace used to fit (default ${DEFAULT-VALUE}).")
  double trainFraction;

  @Option(
      names = "--target-recall",
      defaultValue = "0.8",
      converter = OptionValues.Fraction.class,
      description =
          "Recall the threshold is tuned for on the training part (default ${DEFAULT-VALUE}).")
  double targetRecall;

  @Option(
      names = "--horizon-min",
      defaultValue = "15",
      converter = OptionValues.PositiveInt.class,
      description = "Horizon of the flag, minutes (default ${DEFAULT-VALUE}).")
  int horizonMin;

  @Option(
      names = "--what-if-rebalance-lead-min",
      paramLabel = "N",
      converter = OptionValues.NonNegativeInt.class,
      description =
          "WHAT-IF run: also inject a rebalance recommendation N minutes before each reclamation "
              + "(the traces do not hold rebalance timing); printed as a separate, labelled table.")
  Integer whatIfRebalanceLeadMin;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Progress progress = Progress.of(spec);
    return CliErrors.guard(
        () -> {
          List<CapacityTrace> traces = inputs.loadTraces(progress);
          SpotAdvisorData advisor = inputs.loadAdvisor();
          RiskEvaluation evaluation = new RiskEvaluation();
          ReportTable table = new ReportTable();
          if (whatIfRebalanceLeadMin != null) {
            RiskEvaluation.Report whatIf =
                progress.during(
                    "what-if run: fitting and scoring",
                    () ->
                        evaluation.run(
                            traces,
                            t -> advisor.entry(t.pool().region(), t.pool().instanceType()),
                            new RiskEvaluation.Settings(
                                trainFraction,
                                targetRecall,
                                horizonMin,
                                OptionalInt.of(whatIfRebalanceLeadMin))));
            System.out.print(
                table.format(
                    whatIf,
                    "WHAT-IF (synthetic rebalance recommendation "
                        + whatIfRebalanceLeadMin
                        + " min before each reclamation; NOT real data)"));
            System.out.println();
          }
          RiskEvaluation.Report report =
              progress.during(
                  "fitting on the leading part and scoring the held-out rest",
                  () ->
                      evaluation.run(
                          traces,
                          t -> advisor.entry(t.pool().region(), t.pool().instanceType()),
                          new RiskEvaluation.Settings(
                              trainFraction, targetRecall, horizonMin, OptionalInt.empty())));
          progress.finished("evaluated");
          System.out.print(
              table.format(report, "causal evaluation (trace data + 2-minute notice only)"));
          System.out.println(table.summaryLine(report));
        });
  }
}
