package io.spotnest.cli;

import io.spotnest.testbed.KeptLabLogs;
import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code spotnest} command line. Each subcommand lives in its own class; {@code test} is
 * handled by the {@code ./spotnest} launcher itself (it installs prerequisites and runs the Maven
 * test suite).
 */
@Command(
    name = "spotnest",
    mixinStandardHelpOptions = true,
    version = "spotnest 0.1.0-SNAPSHOT",
    description =
        "Long-running Jenkins agents as nested VMs on spot hosts, live-migrated before reclamation.",
    footer = {
      "",
      "  test      Run the whole test suite (handled by the ./spotnest launcher: installs prerequisites, then Maven)."
    },
    subcommands = {
      HelpCommand.class,
      DemoCommand.class,
      TestbedCommand.class,
      BenchCommand.class,
      SimulateCommand.class,
      EvaluateCommand.class,
      ServeCommand.class,
      ImageCommand.class,
    })
public final class SpotNestCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * The command line over the given labs: numbers without a domain of their own are still checked,
   * and every error is reported in one line ({@link CliErrors}).
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

  /** {@link #check}: the arguments are valid and the command would run. */
  static final int CHECK_RUNS = 0;

  /** {@link #check}: the arguments only ask for help or the version. */
  static final int CHECK_HELP_ONLY = 3;

  /**
   * Parses the arguments without running anything (the launcher's {@code
   * -Dspotnest.checkOnly=true}, so that bad input is refused before lab prerequisites are
   * installed): {@link #CHECK_RUNS}, {@link #CHECK_HELP_ONLY}, or the bad-input exit code after the
   * one line on stderr.
   */
  static int check(CommandLine cli, String[] args) {
    CommandLine.ParseResult parsed;
    try {
      parsed = cli.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      try {
        return cli.getParameterExceptionHandler().handleParseException(e, args);
      } catch (Exception handlerFailed) {
        throw new IllegalStateException(handlerFailed);
      }
    }
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
        return CHECK_HELP_ONLY;
      }
    }
    return CHECK_RUNS;
  }

  /**
   * Runs the command, then settles the lab logs this process kept (under {@code CI=true}): named
   * and kept when the command failed, removed when it succeeded.
   */
  static int run(CommandLine cli, String[] args, KeptLabLogs kept, PrintStream err) {
    int exit = cli.execute(args);
    kept.settle(exit != 0, err);
    return exit;
  }

  public static void main(String[] args) {
    CommandLine cli = commandLine(new LocalLabControl());
    System.exit(
        Boolean.getBoolean("spotnest.checkOnly")
            ? check(cli, args)
            : run(cli, args, KeptLabLogs.ofThisProcess(), System.err));
  }
}
