package io.spotnest.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code spotnest help [COMMAND...]}: the usage of spotnest or of one of its (nested) commands.
 * Unlike picocli's own help command it is an ordinary command, so an unknown option or command is
 * an error like anywhere else.
 */
@Command(
    name = "help",
    mixinStandardHelpOptions = true,
    description = "Show the usage of spotnest or of one of its commands (e.g. 'help testbed up').")
final class HelpCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..*",
      paramLabel = "COMMAND",
      description = "The command to show the usage of.")
  List<String> path = new ArrayList<>();

  @Override
  public void run() {
    CommandLine target = spec.parent().commandLine();
    for (String word : path) {
      CommandLine next = target.getSubcommands().get(word);
      if (next == null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), CliErrors.unknownCommand(target.getCommandSpec(), word, ""));
      }
      target = next;
    }
    target.usage(System.out);
  }
}
