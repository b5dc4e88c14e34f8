package io.spotnest.cli;

import io.spotnest.dashboard.DashboardServer;
import io.spotnest.dashboard.TraceReplaySource;
import io.spotnest.strategy.data.AdvisorEntry;
import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.data.CapacityTraceReader;
import io.spotnest.strategy.data.DataFormatException;
import io.spotnest.strategy.data.SharedData;
import io.spotnest.strategy.data.SpotAdvisorData;
import io.spotnest.strategy.data.SpotAdvisorReader;
import io.spotnest.strategy.data.TraceNames;
import io.spotnest.strategy.risk.HazardParameters;
import io.spotnest.strategy.risk.HazardRiskModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spotnest serve}: the live dashboard on 127.0.0.1. Until the orchestrator feeds it, it
 * shows real spot traces replayed through the risk model (each pool's risk over time) and no fleet.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Live dashboard on 127.0.0.1 (page and JSON); today it replays real spot traces through the risk model.")
public final class ServeCommand implements Callable<Integer> {
  /**
   * The traces shown by default: AWS r5.16xlarge in three us-east-1 zones, 34 s ticks, about 152 h.
   */
  static final String DEFAULT_TRACES = "skypilot-spot-traces/preemption/1-node/aws-04-19-2023";

  @Option(
      names = "--port",
      defaultValue = "8764",
      description = "TCP port on 127.0.0.1; 0 picks a free one (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--trace",
      paramLabel = "FILE",
      description =
          "SkyPilot spot trace <zone>_<type>.json to replay (repeat for several pools; default: the "
              + "three AWS us-east-1 r5.16xlarge traces of the shared spot-data).")
  List<Path> traces = new ArrayList<>();

  @Option(
      names = "--speed",
      defaultValue = "600",
      description = "Trace seconds replayed per second (default ${DEFAULT-VALUE}).")
  double speed;

  @Override
  public Integer call() {
    return CliErrors.guard(
        () -> {
          if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be in 0..65535, got " + port);
          }
          if (!(speed > 0 && speed <= 1_000_000)) {
            throw new IllegalArgumentException(
                "--speed must be in (0, 1000000] trace seconds per second, got " + speed);
          }
          Path root = Path.of(System.getProperty("spotnest.root", "."));
          Optional<Path> data = SharedData.find(root);
          List<CapacityTrace> loaded = loadTraces(data, root);
          Function<CapacityTrace, Optional<AdvisorEntry>> advice = advisor(data);
          var settings = TraceReplaySource.Settings.DEFAULTS;
          var source =
              new TraceReplaySource(
                  loaded,
                  advice,
                  new HazardRiskModel(HazardParameters.DEFAULTS),
                  new TraceReplaySource.Settings(
                      speed, settings.warmup(), settings.step(), settings.horizon()),
                  Clock.systemUTC());
          DashboardServer server = LoopbackDashboard.start(source, port, "--port");
          Runtime.getRuntime().addShutdownHook(new Thread(server::close, "dashboard-stop"));
          System.out.println("dashboard: " + server.baseUri());
          System.out.println("sign in: " + server.signInUri());
          System.out.flush();
          System.err.println(
              "serve: replaying " + loaded.size() + " trace(s) at " + speed + "x; Ctrl-C stops");
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
          }
        });
  }

  private List<CapacityTrace> loadTraces(Optional<Path> data, Path root) {
    List<Path> files = traces;
    if (files.isEmpty()) {
      Path dir =
          data.map(d -> d.resolve(DEFAULT_TRACES))
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "--trace not given and no shared spot-data found beside "
                              + root.toAbsolutePath().normalize()));
      try (Stream<Path> list = Files.list(dir)) {
        files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "--trace not given and " + dir + " cannot be listed: " + e.getMessage());
      }
    }
    CapacityTraceReader reader = new CapacityTraceReader();
    List<CapacityTrace> out = new ArrayList<>();
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        throw new IllegalArgumentException("--trace " + f + ": no such file");
      }
      if (TraceNames.poolOf(f).isEmpty()) {
        throw new IllegalArgumentException(
            "--trace " + f + ": cannot tell the pool from the name; expected <zone>_<type>.json");
      }
      try {
        out.add(reader.read(f));
      } catch (DataFormatException | UncheckedIOException e) {
        throw new IllegalArgumentException("--trace " + e.getMessage());
      }
    }
    return out;
  }

  private static Function<CapacityTrace, Optional<AdvisorEntry>> advisor(Optional<Path> data) {
    Optional<SpotAdvisorData> advisor =
        data.map(d -> d.resolve(SharedData.ADVISOR))
            .filter(Files::isRegularFile)
            .map(f -> new SpotAdvisorReader().read(f));
    return t -> advisor.flatMap(a -> a.entry(t.pool().region(), t.pool().instanceType()));
  }
}
