package io.spotnest.cli;

import io.spotnest.migration.AgentVmSpec;
import io.spotnest.migration.MigrationListener;
import io.spotnest.migration.MigrationOutcome;
import io.spotnest.migration.MigrationPlan;
import io.spotnest.migration.MigrationProgress;
import io.spotnest.migration.MigrationRequest;
import io.spotnest.migration.MigrationSettings;
import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.data.CapacityTraceReader;
import io.spotnest.strategy.data.SharedData;
import io.spotnest.strategy.data.SpotAdvisorData;
import io.spotnest.strategy.data.SpotAdvisorReader;
import io.spotnest.testbed.LinkShape;
import io.spotnest.testbed.RepoRoot;
import io.spotnest.testbed.TestbedHost;
import io.spotnest.testbed.TestbedSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spotnest demo}: the orchestrator on the local testbed with a replayed spot trace ({@link
 * FleetDemo}); with {@code --simple}, a build steps on host A, is live-migrated to host B while it
 * runs, and carries on there over the same connection, with its workspace intact.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The whole idea on local hosts: two agent VMs run builds on spot hosts while a real spot trace is"
          + " replayed; rising risk moves one to on-demand, a calm pool takes it back to spot, a notice"
          + " evacuates the other; both builds finish. The live dashboard's address is printed.",
      "--simple: the one-move demo (a build live-migrated between two hosts).",
      "--jenkins WAR: the plugin in a real Jenkins from WAR (bare: SPOTNEST_JENKINS_WAR) whose UI"
          + " is reachable here at the printed address: a build on an agent VM is live-migrated"
          + " twice as the market feed's notices come."
    })
final class DemoCommand implements Callable<Integer> {
  /**
   * A window of the AWS us-east-1 r5.16xlarge traces (aws-04-19-2023) with a risk rise and a later
   * reclamation.
   */
  static final Instant DEFAULT_FROM = Instant.parse("2023-04-22T01:45:00Z");

  static final String TRACES = "skypilot-spot-traces/preemption/1-node/aws-04-19-2023";

  /** AWS's public on-demand price of r5.16xlarge in us-east-1 (Linux), USD per hour. */
  static final double R5_16XLARGE_ON_DEMAND_USD = 4.032;

  private final LabControl labs;

  @Option(names = "--simple", description = "the one-move demo instead")
  boolean simple;

  @Option(
      names = "--jenkins",
      arity = "0..1",
      paramLabel = "WAR",
      fallbackValue = "${env:SPOTNEST_JENKINS_WAR:-}",
      converter = OptionValues.JenkinsWar.class,
      description =
          "the story in a real Jenkins started from WAR (bare: the war SPOTNEST_JENKINS_WAR names);"
              + " its address and a throw-away admin login are printed")
  Path jenkinsWar;

  @Option(
      names = "--keep",
      description = "with --jenkins: leave Jenkins and the lab up after the story until Enter")
  boolean keep;

  @Option(
      names = "--memory-mib",
      defaultValue = "256",
      converter = OptionValues.MemoryMib.class,
      description = "guest RAM, default ${DEFAULT-VALUE}")
  long memoryMib;

  @Option(
      names = "--dirty-mib-s",
      converter = OptionValues.NonNegativeInt.class,
      description = "memory each build dirties per second (default: 1, --simple 16)")
  Integer dirtyMibS;

  @Option(
      names = "--rate-mbit",
      converter = OptionValues.LinkRateMbit.class,
      description = "shape the host links (0: unshaped; default: 40, --simple 0)")
  Integer rateMbit;

  @Option(
      names = "--speed",
      defaultValue = "240",
      converter = OptionValues.PositiveNumber.class,
      description =
          "trace seconds replayed per second while nothing runs, default ${DEFAULT-VALUE}")
  double speed;

  @Option(
      names = "--timeout-min",
      defaultValue = "25",
      converter = OptionValues.PositiveInt.class,
      description = "give up after this many minutes, default ${DEFAULT-VALUE}")
  int timeoutMin;

  @Option(
      names = "--dashboard-port",
      defaultValue = "0",
      converter = OptionValues.Port.class,
      description =
          "the live dashboard's port on 127.0.0.1 (0: any free one; the address is printed),"
              + " default ${DEFAULT-VALUE}")
  int dashboardPort;

  @Option(
      names = "--standby-store-gib",
      defaultValue = "0",
      converter = OptionValues.StandbyStoreGib.class,
      description =
          "room on each host's disk for the memory files of file-backed standbys and of the VMs"
              + " flushed from them (the plugin's standbyStoreGb; 0: none), default"
              + " ${DEFAULT-VALUE}")
  long standbyStoreGib;

  @Spec CommandSpec command;

  DemoCommand(LabControl labs) {
    this.labs = labs;
  }

  @Override
  public Integer call() throws Exception {
    if (jenkinsWar != null) {
      return jenkins();
    }
    if (keep) {
      throw OptionValues.invalid(command, "--keep", true, "--keep needs --jenkins");
    }
    if (simple) {
      return simple();
    }
    Progress progress = Progress.of(command);
    Path root = Path.of(System.getProperty("spotnest.root", "."));
    Path data =
        SharedData.find(root)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the demo replays the shared spot traces, but no spot-data was found beside "
                            + root.toAbsolutePath().normalize()
                            + " or in /work/shared/spot-data"));
    DemoClock clock = new DemoClock(DEFAULT_FROM);
    TraceMarket market = market(data, clock);
    int rate = rateMbit != null ? rateMbit : 40;
    int dirty = dirtyMibS != null ? dirtyMibS : 1;
    System.err.println(
        "demo: three libvirt hosts in network namespaces (links "
            + (rate == 0 ? "unshaped" : rate + " Mbit/s")
            + "), two "
            + memoryMib
            + " MiB agent VMs running the stand-in build; replaying the"
            + " AWS us-east-1 r5.16xlarge spot traces ("
            + TRACES
            + ") from "
            + DEFAULT_FROM
            + " at "
            + (long) speed
            + "x while nothing runs, 1x while VMs boot or move. Ctrl-C removes everything.");
    TestbedSpec spec =
        new TestbedSpec(3, 1024, new LinkShape(rate, 0), Path.of("/var/tmp/spotnest"));
    FleetDemo.Result result;
    try (LabSession lab = labs.open(spec, l -> {})) {
      result =
          new FleetDemo(
                  lab,
                  clock,
                  market,
                  new FleetDemo.Settings(
                      speed,
                      memoryMib,
                      dirty,
                      Duration.ofHours(8),
                      Duration.ofMinutes(timeoutMin),
                      5,
                      dashboardPort,
                      standbyStoreGib * 1024),
                  System.err,
                  progress)
              .run();
    }
    DemoReport.print(System.out, result);
    boolean ok =
        DemoReport.finished(result) == 2
            && DemoReport.restarted(result) == 0
            && DemoReport.migrations(result) >= 2;
    return ok ? 0 : 1;
  }

  /** The plugin's story in a real Jenkins ({@link JenkinsDemo}). */
  private int jenkins() throws Exception {
    if (simple) {
      throw OptionValues.invalid(
          command, "--jenkins", jenkinsWar, "--jenkins and --simple exclude each other");
    }
    Path root = RepoRoot.find();
    System.err.println(
        "demo: the SpotNest plugin in a real Jenkins ("
            + jenkinsWar
            + ") over three libvirt hosts in network namespaces; a build on an agent VM is moved"
            + " live twice as the market feed's notices come. Ctrl-C removes everything.");
    JenkinsDemo.Result result =
        new JenkinsDemo(
                labs,
                new JenkinsDemo.Settings(jenkinsWar, root, 240, Duration.ofSeconds(240), keep),
                System.err,
                System.in)
            .run();
    System.out.println(result.line());
    return result.finished() == 1 && result.restarted() == 0 && result.moves().size() == 2 ? 0 : 1;
  }

  /**
   * The market the demo replays: the r5.16xlarge traces of three us-east-1 zones in the shared
   * spot-data {@code data}, priced with the Spot Advisor's saving.
   */
  static TraceMarket market(Path data, DemoClock clock) {
    SpotAdvisorData advisor = new SpotAdvisorReader().read(data.resolve(SharedData.ADVISOR));
    List<TraceMarket.Pool> pools = new ArrayList<>();
    for (String zone : List.of("us-east-1b", "us-east-1c", "us-east-1d")) {
      CapacityTrace t =
          new CapacityTraceReader().read(data.resolve(TRACES).resolve(zone + "_intel_64.json"));
      pools.add(
          new TraceMarket.Pool(
              TraceMarket.keyOf(t), t, advisor.entry(t.pool().region(), t.pool().instanceType())));
    }
    return new TraceMarket(pools, clock, R5_16XLARGE_ON_DEMAND_USD, 0.35);
  }

  /** The one-move demo: a build steps on host A, is live-migrated to host B and carries on. */
  private int simple() {
    int dirtyMibS = this.dirtyMibS != null ? this.dirtyMibS : 16;
    int rateMbit = this.rateMbit != null ? this.rateMbit : 0;
    Progress progress = Progress.of(command);
    AtomicReference<String> where = new AtomicReference<>("hosta");
    TestbedSpec spec =
        new TestbedSpec(2, 1024, new LinkShape(rateMbit, 0), Path.of("/var/tmp/spotnest"));
    System.out.println("demo: starting two libvirt hosts in network namespaces ...");
    try (LabSession lab =
        labs.open(
            spec,
            l -> {
              if (l.text().startsWith("STEP ") || l.text().startsWith("HELLO")) {
                System.out.printf("  [controller <- build on %s] %s%n", where.get(), l.text());
              }
            })) {
      TestbedHost a = lab.testbed.host(1);
      TestbedHost b = lab.testbed.host(2);
      System.out.printf(
          "demo: hosts %s (%s) and %s (%s); booting the build VM on %s ...%n",
          a.name(), a.address(), b.name(), b.address(), a.name());
      AgentVmSpec vm = lab.startGuest(a, "demo-build", memoryMib, dirtyMibS, 5);
      long link = lab.measureLink(a, b);
      System.out.printf(
          "demo: measured link %s -> %s: %.0f MiB/s; migrating the running build ...%n",
          a.name(), b.name(), link / 1048576.0);
      MigrationOutcome out =
          lab.engine.migrate(
              new MigrationRequest(
                  vm.name(),
                  a.name(),
                  b.name(),
                  link,
                  Instant.now().plus(Duration.ofMinutes(5)),
                  MigrationSettings.defaults(),
                  true),
              new MigrationListener() {
                @Override
                public void onPlan(MigrationPlan plan) {
                  System.out.println("demo: " + plan);
                }

                @Override
                public void onProgress(MigrationProgress p) {
                  progress.update("migrating: " + p.toString().strip());
                }
              });
      System.out.println("demo: " + out);
      if (!out.success()) {
        lab.printGuestLogs(vm.name());
        return 1;
      }
      where.set(b.name());
      long at = lab.lastStep(vm.name());
      try {
        lab.awaitStep(vm.name(), at + 5, Duration.ofSeconds(60));
      } catch (IllegalStateException e) {
        System.out.println("demo: FAILED: " + e.getMessage());
        lab.printGuestLogs(vm.name());
        return 1;
      }
      System.out.printf(
          "demo: the build kept its counter, boot and connection (%d connection(s) in all); "
              + "now on %s. Cleaning up.%n",
          lab.channel.connections().size(), b.name());
      lab.remove(b.name(), vm.name());
    }
    return 0;
  }
}
