package io.spotnest.cli;

import io.spotnest.strategy.data.DataFormatException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How the CLI reports errors: bad input (options, arguments, data files) is one line on stderr that
 * names what was wrong, exit code 2; any other failure is one line and exit code 1. Stack traces
 * only with {@code SPOTNEST_DEBUG=1}.
 */
final class CliErrors
    implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {
  static final String PREFIX = "spotnest: ";
  private final boolean debug;

  CliErrors(boolean debug) {
    this.debug = debug;
  }

  /**
   * Runs a command's body and returns exit code 0; input errors it throws reach {@link
   * #handleExecutionException}.
   */
  static int guard(Runnable body) {
    body.run();
    return 0;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    // picocli checks required options before unknown ones; the unknown one is the likelier cause (a
    // typo)
    ParameterException first =
        ex instanceof CommandLine.MissingParameterException
                && !cmd.getUnmatchedArguments().isEmpty()
            ? new UnmatchedArgumentException(cmd, cmd.getUnmatchedArguments())
            : ex;
    print(cmd.getErr(), describe(first));
    if (debug) {
      ex.printStackTrace(cmd.getErr());
    }
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    boolean input =
        ex instanceof DataFormatException
            || ex instanceof UncheckedIOException
            || ex instanceof IllegalArgumentException;
    if (input) {
      print(cmd.getErr(), ex.getMessage());
    } else {
      print(
          cmd.getErr(),
          commandName(cmd.getCommandSpec())
              + " failed: "
              + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage())
              + (debug ? "" : " (SPOTNEST_DEBUG=1 shows where)"));
    }
    if (debug) {
      ex.printStackTrace(cmd.getErr());
    }
    return input
        ? cmd.getCommandSpec().exitCodeOnInvalidInput()
        : cmd.getCommandSpec().exitCodeOnExecutionException();
  }

  private static void print(PrintWriter err, String message) {
    err.println(PREFIX + String.valueOf(message).replaceAll("\\s*\\R\\s*", " ").strip());
    err.flush();
  }

  /** The one line for a parse error, without the prefix. */
  static String describe(ParameterException ex) {
    CommandSpec spec = ex.getCommandLine().getCommandSpec();
    String help = " (see '" + spec.qualifiedName(" ") + " --help')";
    ArgSpec arg = ex.getArgSpec();
    if (ex.getCause() instanceof OptionValues.InvalidValue invalid && arg != null) {
      return name(arg) + " " + invalid.getMessage();
    }
    if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String first = u.getUnmatched().get(0);
      String suggestion =
          u.getSuggestions().isEmpty()
              ? ""
              : " (did you mean '" + u.getSuggestions().get(0) + "'?)";
      if (u.isUnknownOption()) {
        return "unknown option '"
            + first
            + "' for '"
            + spec.qualifiedName(" ")
            + "'"
            + suggestion
            + help;
      }
      if (!spec.subcommands().isEmpty()) {
        return unknownCommand(spec, first, suggestion);
      }
      return "unexpected argument '" + first + "'" + help;
    }
    if (!spec.subcommands().isEmpty()
        && !(spec.userObject() instanceof Runnable)
        && !(spec.userObject() instanceof Callable)
        && arg == null) {
      return "'" + spec.qualifiedName(" ") + "' needs a command: " + commands(spec) + help;
    }
    String message = String.valueOf(ex.getMessage()).replaceFirst("^Error: ", "");
    return message.contains("(see '") ? message : message + help;
  }

  /** The line for a word that names no command of {@code spec}, without the prefix. */
  static String unknownCommand(CommandSpec spec, String word, String suggestion) {
    return "unknown command '"
        + word
        + "' for '"
        + spec.qualifiedName(" ")
        + "'"
        + suggestion
        + "; commands: "
        + commands(spec)
        + " (see '"
        + spec.qualifiedName(" ")
        + " --help')";
  }

  /** The command's words after the program's name, e.g. {@code bench migration}. */
  static String commandName(CommandSpec spec) {
    String qualified = spec.qualifiedName(" ");
    String root = spec.root().name() + " ";
    return qualified.startsWith(root) ? qualified.substring(root.length()) : qualified;
  }

  private static String name(ArgSpec arg) {
    return arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
  }

  private static String commands(CommandSpec spec) {
    List<String> names =
        spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).toList();
    return names.stream().collect(Collectors.joining(", "));
  }
}
