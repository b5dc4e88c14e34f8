package io.spotnest.cli;

import io.spotnest.migration.AgentVmSpec;
import io.spotnest.migration.MigrationListener;
import io.spotnest.migration.MigrationOutcome;
import io.spotnest.migration.MigrationPlan;
import io.spotnest.migration.MigrationProgress;
import io.spotnest.migration.MigrationRequest;
import io.spotnest.migration.MigrationSettings;
import io.spotnest.testbed.LinkShape;
import io.spotnest.testbed.TestbedHost;
import io.spotnest.testbed.TestbedSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spotnest demo}: a build steps on host A, is live-migrated to host B while it runs, and carries on there
 * over the same connection, with its workspace intact.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Live-migrate a running build between two local hosts and watch it carry on.")
final class DemoCommand implements Callable<Integer> {
  private final LabControl labs;

  @Option(names = "--memory-mib", defaultValue = "256", converter = OptionValues.MemoryMib.class, description = "guest RAM, default ${DEFAULT-VALUE}")
  long memoryMib;

  @Option(names = "--dirty-mib-s", defaultValue = "16", converter = OptionValues.NonNegativeInt.class, description = "memory the build dirties per second")
  int dirtyMibS;

  @Option(names = "--rate-mbit", defaultValue = "0", converter = OptionValues.LinkRateMbit.class, description = "shape the host links (0: unshaped)")
  int rateMbit;

  @Spec CommandSpec command;

  DemoCommand(LabControl labs) {
    this.labs = labs;
  }

  @Override
  public Integer call() {
    Progress progress = Progress.of(command);
    AtomicReference<String> where = new AtomicReference<>("hosta");
    TestbedSpec spec = new TestbedSpec(2, 1024, new LinkShape(rateMbit, 0), Path.of("/var/tmp/spotnest"));
    System.out.println("demo: starting two libvirt hosts in network namespaces ...");
    try (LabSession lab = labs.open(spec, l -> {
      if (l.text().startsWith("STEP ") || l.text().startsWith("HELLO")) {
        System.out.printf("  [controller <- build on %s] %s%n", where.get(), l.text());
      }
    })) {
      TestbedHost a = lab.testbed.host(1);
      TestbedHost b = lab.testbed.host(2);
      System.out.printf("demo: hosts %s (%s) and %s (%s); booting the build VM on %s ...%n", a.name(), a.address(),
          b.name(), b.address(), a.name());
      AgentVmSpec vm = lab.startGuest(a, "demo-build", memoryMib, dirtyMibS, 5);
      long link = lab.measureLink(a, b);
      System.out.printf("demo: measured link %s -> %s: %.0f MiB/s; migrating the running build ...%n", a.name(),
          b.name(), link / 1048576.0);
      MigrationOutcome out = lab.engine.migrate(new MigrationRequest(vm.name(), a.name(), b.name(), link,
          Instant.now().plus(Duration.ofMinutes(5)), MigrationSettings.defaults(), true), new MigrationListener() {
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
      System.out.printf("demo: the build kept its counter, boot and connection (%d connection(s) in all); "
          + "now on %s. Cleaning up.%n", lab.channel.connections().size(), b.name());
      lab.remove(b.name(), vm.name());
    }
    return 0;
  }
}
