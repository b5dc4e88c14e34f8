package io.spotnest.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One in-process run of the {@code spotnest} command line, with what it wrote to stdout and stderr.
 */
record CliRun(int exit, String out, String err) {

  /** Runs {@code args} over {@code labs}, capturing stdout and stderr. */
  static CliRun run(LabControl labs, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = SpotNestCommand.commandLine(labs).execute(args);
      return new CliRun(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** A run on a thread of its own whose stderr can be read while it goes. */
  record Background(CompletableFuture<CliRun> result, ByteArrayOutputStream err) {
    /** What the run wrote to stderr so far. */
    String errSoFar() {
      return err.toString(StandardCharsets.UTF_8);
    }
  }

  /**
   * Starts {@code args} over {@code labs} in the background; stdout and stderr are captured (for
   * the whole JVM) until it ends.
   */
  static Background start(LabControl labs, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    CompletableFuture<CliRun> result = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                int exit = SpotNestCommand.commandLine(labs).execute(args);
                result.complete(
                    new CliRun(
                        exit,
                        out.toString(StandardCharsets.UTF_8),
                        err.toString(StandardCharsets.UTF_8)));
              } catch (Throwable e) {
                result.completeExceptionally(e);
              } finally {
                System.setOut(oldOut);
                System.setErr(oldErr);
              }
            },
            "cli-run");
    t.start();
    return new Background(result, err);
  }

  String lastLine() {
    List<String> lines = out.lines().toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  List<String> errLines() {
    return err.lines().toList();
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
  }
}
