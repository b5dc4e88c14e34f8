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
      HelpCommand.class,
      DemoCommand.class,
      TestbedCommand.class,
      BenchCommand.class,
      SimulateCommand.class,
      EvaluateCommand.class,
    })
public final class SpotNestCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * The command line over the given labs: numbers without a domain of their own are still checked, and every
   * error is reported in one line ({@link CliErrors}).
   */
  static CommandLine commandLine(LabControl labs) {
    CliErrors errors = new CliErrors(System.getenv("SPOTNEST_DEBUG") != null);
    return new CommandLine(new SpotNestCommand(), new CommandFactory(labs))
        .registerConverter(Integer.class, new OptionValues.AnyInt())
        .registerConverter(Integer.TYPE, new OptionValues.AnyInt())
        .registerConverter(Long.class, new OptionValues.AnyLong())
        .registerConverter(Long.TYPE, new OptionValues.AnyLong())
        .registerConverter(Double.class, new OptionValues.AnyNumber())
        .registerConverter(Double.TYPE, new OptionValues.AnyNumber())
        .setParameterExceptionHandler(errors)
        .setExecutionExceptionHandler(errors);
  }

  public static void main(String[] args) {
    System.exit(commandLine(new LocalLabControl()).execute(args));
  }
}
