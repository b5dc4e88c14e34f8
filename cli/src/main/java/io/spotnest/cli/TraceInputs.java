package io.spotnest.cli;

import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.data.CapacityTraceReader;
import io.spotnest.strategy.data.SharedData;
import io.spotnest.strategy.data.SpotAdvisorData;
import io.spotnest.strategy.data.SpotAdvisorReader;
import io.spotnest.strategy.signal.PoolId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The trace and Spot Advisor options shared by {@code simulate} and {@code evaluate}. */
final class TraceInputs {
  @Option(
      names = "--trace",
      required = true,
      paramLabel = "FILE",
      converter = OptionValues.ReadableFile.class,
      description =
          "SkyPilot spot trace JSON (repeat for several pools). The pool comes from the file name "
              + "<zone>_<type>.json unless --instance-type and --zone are given.")
  List<Path> traces = new ArrayList<>();

  @Option(
      names = "--advisor",
      paramLabel = "FILE",
      converter = OptionValues.ReadableFile.class,
      description = "Spot Advisor JSON (default: the shared spot-data beside the repository).")
  Path advisor;

  @ArgGroup(exclusive = false)
  PoolOverride pool;

  /**
   * The pool of every trace, given instead of taken from the file names; both options or neither.
   */
  static final class PoolOverride {
    @Option(
        names = "--instance-type",
        required = true,
        paramLabel = "T",
        description = "Instance type of the trace(s); needs --zone.")
    String instanceType;

    @Option(
        names = "--zone",
        required = true,
        paramLabel = "Z",
        description = "Availability zone of the trace(s); needs --instance-type.")
    String zone;
  }

  List<CapacityTrace> loadTraces(Progress progress) {
    progress.phase("reading " + traces.size() + " trace(s)");
    CapacityTraceReader reader = new CapacityTraceReader();
    List<CapacityTrace> out = new ArrayList<>();
    for (Path p : traces) {
      out.add(
          pool == null ? reader.read(p) : reader.read(p, new PoolId(pool.instanceType, pool.zone)));
      progress.step("read trace", out.size(), traces.size());
    }
    return out;
  }

  SpotAdvisorData loadAdvisor() {
    Path file = advisor;
    if (file == null) {
      Path root = Path.of(System.getProperty("spotnest.root", "."));
      file =
          SharedData.find(root)
              .map(d -> d.resolve(SharedData.ADVISOR))
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "--advisor not given and no shared spot-data found beside " + root));
    }
    return new SpotAdvisorReader().read(file);
  }
}
