package io.spotnest.cli;

import io.spotnest.testbed.LinkShape;
import io.spotnest.testbed.Testbed;
import io.spotnest.testbed.TestbedHost;
import io.spotnest.testbed.TestbedSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spotnest testbed up|down|clean}: the local multi-host lab. */
@Command(
    name = "testbed",
    mixinStandardHelpOptions = true,
    description = "Local libvirt hosts in network namespaces on this machine (root).",
    subcommands = {TestbedCommand.Up.class, TestbedCommand.Down.class, TestbedCommand.Clean.class})
final class TestbedCommand {

  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description = "Start a lab and leave it running.")
  static final class Up implements Callable<Integer> {
    private final LabControl labs;

    @Option(
        names = "--hosts",
        defaultValue = "2",
        converter = OptionValues.LabHosts.class,
        description = "number of hosts (1..8), default ${DEFAULT-VALUE}")
    int hosts;

    @Option(
        names = "--host-memory-mib",
        defaultValue = "2048",
        converter = OptionValues.MemoryMib.class,
        description = "memory each host offers to VMs")
    long hostMemoryMib;

    @Option(
        names = "--rate-mbit",
        defaultValue = "0",
        converter = OptionValues.LinkRateMbit.class,
        description = "shape every host link to this rate (0: none)")
    int rateMbit;

    @Option(
        names = "--work-dir",
        defaultValue = "/var/tmp/spotnest",
        converter = OptionValues.WorkDirectory.class,
        description = "lab state directory")
    Path workDir;

    @Spec CommandSpec spec;

    Up(LabControl labs) {
      this.labs = labs;
    }

    @Override
    public Integer call() {
      Progress.of(spec).phase("starting " + hosts + " libvirt host(s) in network namespaces ...");
      Testbed tb =
          labs.start(
              new TestbedSpec(
                  hosts, hostMemoryMib, new LinkShape(rateMbit, 0), workDir.toAbsolutePath()));
      tb.detach();
      System.out.println(
          "lab " + tb.names().index() + " is up; controller address " + tb.controllerAddress());
      for (TestbedHost h : tb.hosts()) {
        System.out.printf(
            "  %s  %-12s namespace %-8s  virsh -c '%s'%n",
            h.name(), h.address(), h.namespace(), h.clientUri());
      }
      System.out.println("stop it with: ./spotnest testbed down");
      return 0;
    }
  }

  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description = "Stop labs started with 'testbed up' (every lab no running process holds).")
  static final class Down implements Callable<Integer> {
    private final LabControl labs;

    Down(LabControl labs) {
      this.labs = labs;
    }

    @Override
    public Integer call() {
      return report(labs.janitor().cleanAll());
    }
  }

  @Command(
      name = "clean",
      mixinStandardHelpOptions = true,
      description =
          "Remove every leftover VM, daemon, namespace, link and directory of any lab, even after kill -9.")
  static final class Clean implements Callable<Integer> {
    private final LabControl labs;

    Clean(LabControl labs) {
      this.labs = labs;
    }

    @Override
    public Integer call() {
      int rc = new Down(labs).call();
      List<String> left = labs.janitor().leftovers();
      left.forEach(l -> System.out.println("still present (held by a running process): " + l));
      return rc;
    }
  }

  static int report(List<String> removed) {
    if (removed.isEmpty()) {
      System.out.println("nothing to remove");
    }
    removed.forEach(r -> System.out.println("removed " + r));
    return 0;
  }
}
