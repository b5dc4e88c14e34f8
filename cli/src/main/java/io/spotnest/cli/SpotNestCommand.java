package io.spotnest.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code spotnest} command line. Each subcommand lives in its own class; {@code test} is handled by
 * the {@code ./spotnest} launcher itself (it installs prerequisites and runs the Maven test suite).
 */
@Command(
    name = "spotnest",
    mixinStandardHelpOptions = true,
    version = "spotnest 0.1.0-SNAPSHOT",
    description = "Long-running Jenkins agents as nested VMs on spot hosts, live-migrated before reclamation.",
    footer = {"", "  test      Run the whole test suite (handled by the ./spotnest launcher: installs prerequisites, then Maven)."},
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      TestbedCommand.class,
      BenchCommand.class,
      SimulateCommand.class,
      EvaluateCommand.class,
      ImageCommand.class,
    })
public final class SpotNestCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new SpotNestCommand()).execute(args));
  }
}
