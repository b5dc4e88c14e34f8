package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spotnest.strategy.data.SharedData;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every command and subcommand, enumerated from picocli's model (a new command or option is covered
 * without touching this test), answers bad input with exactly one line on stderr naming the option,
 * exit code 2, no stack trace, and before touching any lab.
 */
class CommandLineContractTest {
  private static final Path DATA = SharedData.require(Path.of("").toAbsolutePath().getParent());
  private static final String TRACE =
      DATA.resolve("skypilot-spot-traces/preemption/1-node/gcp-04-30-2023/us-east1-b_c3-88.json")
          .toString();

  /** Numeric options for which every number is valid (only a non-number is bad input). */
  private static final Set<String> ANY_NUMBER = Set.of("spotnest simulate --seed");

  private static final Set<Class<?>> INTEGRAL =
      Set.of(int.class, Integer.class, long.class, Long.class, short.class, Short.class);
  private static final Set<Class<?>> FLOATING =
      Set.of(double.class, Double.class, float.class, Float.class);

  private static Path scratch;
  private static String unusablePath;

  @BeforeAll
  static void scratch() throws IOException {
    scratch = Files.createTempDirectory("spotnest-cli-contract");
    Path plain = Files.writeString(scratch.resolve("plain-file"), "x");
    // Neither an existing file nor a directory that could be created: its parent is a regular file.
    unusablePath = plain.resolve("us-east-1b_r5.16xlarge.json").toString();
  }

  @AfterAll
  static void removeScratch() throws IOException {
    try (Stream<Path> s = Files.walk(scratch)) {
      s.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static List<CommandLine> everyCommand() {
    List<CommandLine> out = new ArrayList<>();
    collect(
        SpotNestCommand.commandLine(new ForbiddenLabs()),
        out,
        Collections.newSetFromMap(new IdentityHashMap<>()));
    return out;
  }

  private static void collect(CommandLine c, List<CommandLine> out, Set<CommandSpec> seen) {
    if (seen.add(c.getCommandSpec())) {
      out.add(c);
      c.getSubcommands().values().forEach(s -> collect(s, out, seen));
    }
  }

  /** The words after {@code spotnest} that select this command. */
  private static List<String> path(CommandSpec spec) {
    List<String> words = new ArrayList<>(List.of(spec.qualifiedName(" ").split(" ")));
    words.remove(0);
    return words;
  }

  private static Class<?> valueType(OptionSpec o) {
    return o.typeInfo().isMultiValue()
        ? o.typeInfo().getAuxiliaryTypeInfos().get(0).getType()
        : o.type();
  }

  /**
   * Valid values for the command's required options (outside option groups), except {@code skip}.
   */
  private static List<String> requiredArgs(CommandSpec spec, OptionSpec skip) {
    List<String> args = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      if (o.required() && o.group() == null && o != skip) {
        args.add(o.longestName());
        args.add(sample(spec, o));
      }
    }
    return args;
  }

  /** A valid value of a required option. */
  private static String sample(CommandSpec spec, OptionSpec o) {
    Class<?> t = valueType(o);
    if (t == Path.class || t == File.class) {
      return TRACE;
    }
    if (t == String.class) {
      return "sample";
    }
    return fail(
        "no valid sample for the required option "
            + o.longestName()
            + " of "
            + spec.qualifiedName()
            + ": add one to this test");
  }

  private static List<String> badValues(CommandSpec spec, OptionSpec o) {
    Class<?> t = valueType(o);
    List<String> bad = new ArrayList<>();
    boolean anyNumber = ANY_NUMBER.contains(spec.qualifiedName(" ") + " " + o.longestName());
    if (INTEGRAL.contains(t) || FLOATING.contains(t)) {
      bad.add("abc");
      bad.add("1x");
      if (!anyNumber) {
        bad.add("-1");
      }
      if (FLOATING.contains(t)) {
        bad.addAll(List.of("NaN", "Infinity"));
      }
      if (INTEGRAL.contains(t)) {
        bad.add("99999999999999999999");
      }
    } else if (t == Path.class || t == File.class) {
      bad.add(unusablePath);
    } else if (t.isEnum()) {
      bad.add("NO_SUCH_VALUE");
    }
    return bad;
  }

  private static void assertOneLineNaming(CliRun r, ForbiddenLabs labs, String what, String args) {
    assertEquals(2, r.exit(), args + "\n" + r);
    assertEquals(1, r.errLines().size(), args + ": exactly one line on stderr\n" + r);
    assertTrue(r.err().contains(what), args + ": the line names " + what + "\n" + r);
    assertTrue(r.err().startsWith("spotnest: "), args + "\n" + r);
    assertFalse(
        r.err().contains("Exception")
            || r.err().contains("at io.")
            || r.err().contains("at picocli."),
        args + ": no stack trace\n" + r);
    assertEquals("", r.out(), args + ": nothing on stdout");
    assertEquals(
        List.of(), labs.attempts(), args + ": validation happens before any lab is touched");
  }

  @TestFactory
  Stream<DynamicTest> everyNumericFileAndEnumOptionRejectsBadValues() {
    List<DynamicTest> tests = new ArrayList<>();
    for (CommandLine c : everyCommand()) {
      CommandSpec spec = c.getCommandSpec();
      for (OptionSpec o : spec.options()) {
        if (o.usageHelp() || o.versionHelp() || o.arity().max() == 0) {
          continue;
        }
        for (String value : badValues(spec, o)) {
          List<String> args = new ArrayList<>(path(spec));
          args.addAll(requiredArgs(spec, o));
          args.add(o.longestName());
          args.add(value);
          tests.add(
              DynamicTest.dynamicTest(
                  String.join(" ", args),
                  () -> {
                    ForbiddenLabs labs = new ForbiddenLabs();
                    CliRun r = CliRun.run(labs, args.toArray(String[]::new));
                    assertOneLineNaming(r, labs, o.longestName(), String.join(" ", args));
                  }));
        }
      }
    }
    assertTrue(tests.size() > 40, "the enumeration found the options (" + tests.size() + " cases)");
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> everyCommandRejectsAnUnknownOption() {
    // with the required options given, and without them: the unknown option is what the line names
    return everyCommand().stream()
        .flatMap(
            c ->
                Stream.of(true, false)
                    .map(
                        withRequired -> {
                          List<String> args = new ArrayList<>(path(c.getCommandSpec()));
                          if (withRequired) {
                            args.addAll(requiredArgs(c.getCommandSpec(), null));
                          }
                          args.add("--no-such-option");
                          return DynamicTest.dynamicTest(
                              String.join(" ", args),
                              () -> {
                                ForbiddenLabs labs = new ForbiddenLabs();
                                assertOneLineNaming(
                                    CliRun.run(labs, args.toArray(String[]::new)),
                                    labs,
                                    "--no-such-option",
                                    String.join(" ", args));
                              });
                        }));
  }

  @TestFactory
  Stream<DynamicTest> everyMissingRequiredOptionIsNamed() {
    List<DynamicTest> tests = new ArrayList<>();
    for (CommandLine c : everyCommand()) {
      CommandSpec spec = c.getCommandSpec();
      for (OptionSpec o : spec.options()) {
        if (o.required()) {
          List<String> args = new ArrayList<>(path(spec));
          args.addAll(requiredArgs(spec, o));
          if (o.group() != null) {
            // the group is given (by its other members), this one member is missing
            for (ArgSpec other : o.group().args()) {
              if (other != o && other instanceof OptionSpec os) {
                args.add(os.longestName());
                args.add(sample(spec, os));
              }
            }
          }
          tests.add(
              DynamicTest.dynamicTest(
                  String.join(" ", args) + " (without " + o.longestName() + ")",
                  () -> {
                    ForbiddenLabs labs = new ForbiddenLabs();
                    assertOneLineNaming(
                        CliRun.run(labs, args.toArray(String[]::new)),
                        labs,
                        o.longestName(),
                        String.join(" ", args));
                  }));
        }
      }
    }
    assertFalse(tests.isEmpty());
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> commandGroupsWithoutASubcommandSayWhichToGive() {
    return everyCommand().stream()
        .filter(
            c ->
                !c.getSubcommands().isEmpty()
                    && !(c.getCommandSpec().userObject() instanceof Runnable)
                    && !(c.getCommandSpec().userObject() instanceof java.util.concurrent.Callable))
        .map(
            c -> {
              List<String> args = path(c.getCommandSpec());
              return DynamicTest.dynamicTest(
                  String.join(" ", args),
                  () -> {
                    ForbiddenLabs labs = new ForbiddenLabs();
                    String first =
                        c.getSubcommands().keySet().stream()
                            .filter(n -> !n.equals("help"))
                            .findFirst()
                            .orElseThrow();
                    assertOneLineNaming(
                        CliRun.run(labs, args.toArray(String[]::new)),
                        labs,
                        first,
                        String.join(" ", args));
                  });
            });
  }

  @Test
  void anUnknownCommandIsOneLine() {
    ForbiddenLabs labs = new ForbiddenLabs();
    assertOneLineNaming(CliRun.run(labs, "frob"), labs, "'frob'", "frob");
    assertOneLineNaming(CliRun.run(labs, "testbed", "upp"), labs, "'upp'", "testbed upp");
    assertOneLineNaming(CliRun.run(labs, "help", "frob"), labs, "'frob'", "help frob");
  }

  @Test
  void labCommandsAnnounceTheLabOnStderrAndAFailureIsOneLineWithExitCode1() {
    for (List<String> command :
        List.of(
            List.of("testbed", "up"),
            List.of("bench", "migration"),
            List.of("bench", "standing-copy"),
            List.of("bench", "nesting"),
            List.of("demo"))) {
      ForbiddenLabs labs = new ForbiddenLabs();
      CliRun r = CliRun.run(labs, command.toArray(String[]::new));
      String name = String.join(" ", command);
      assertEquals(1, r.exit(), r.toString());
      assertEquals(1, labs.attempts().size(), "valid options reach the lab: " + r);
      List<String> err = r.errLines();
      assertTrue(
          err.get(err.size() - 1).startsWith("spotnest: " + name + " failed: test: lab touched: "),
          r.toString());
      assertFalse(r.err().contains("Exception") || r.err().contains("at io."), r.toString());
      if (!command.equals(List.of("demo"))) {
        assertEquals(2, err.size(), r.toString());
        assertTrue(err.get(0).startsWith("[" + name + "] starting "), r.toString());
      }
    }
  }

  @Test
  void theLaunchersCheckRefusesBadInputBeforeAnythingRuns() {
    ForbiddenLabs labs = new ForbiddenLabs();
    java.io.StringWriter err = new java.io.StringWriter();
    CommandLine cli = SpotNestCommand.commandLine(labs).setErr(new java.io.PrintWriter(err));
    assertEquals(2, SpotNestCommand.check(cli, new String[] {"testbed", "up", "--hosts", "0"}));
    assertEquals(
        "spotnest: --hosts must be a whole number from 1 to 8 (got 0)", err.toString().strip());
    assertEquals(
        2,
        SpotNestCommand.check(
            SpotNestCommand.commandLine(labs)
                .setErr(new java.io.PrintWriter(new java.io.StringWriter())),
            new String[] {"frob"}));
    assertEquals(
        SpotNestCommand.CHECK_RUNS,
        SpotNestCommand.check(cli, new String[] {"demo", "--rate-mbit", "100"}));
    assertEquals(
        SpotNestCommand.CHECK_HELP_ONLY,
        SpotNestCommand.check(cli, new String[] {"testbed", "up", "--help"}));
    assertEquals(List.of(), labs.attempts());
  }

  @Test
  void theIssuesExamples() {
    ForbiddenLabs labs = new ForbiddenLabs();
    CliRun r = CliRun.run(labs, "bench", "migration", "--rate-mbit", "-1");
    assertOneLineNaming(r, labs, "--rate-mbit", "bench migration --rate-mbit -1");
    assertTrue(r.err().contains("(got -1)"), r.err());
    r = CliRun.run(labs, "bench", "standing-copy", "--notice-s", "0");
    assertOneLineNaming(r, labs, "--notice-s", "bench standing-copy --notice-s 0");
    r = CliRun.run(labs, "testbed", "up", "--hosts", "0");
    assertOneLineNaming(r, labs, "--hosts", "testbed up --hosts 0");
    assertTrue(r.err().contains("(got 0)"), r.err());
    r = CliRun.run(labs, "testbed", "up", "--hosts", "9");
    assertOneLineNaming(r, labs, "--hosts", "testbed up --hosts 9");
    r = CliRun.run(labs, "bench", "nesting", "--accel", "hvf");
    assertOneLineNaming(r, labs, "--accel", "bench nesting --accel hvf");
    assertTrue(r.err().contains("must be tcg or kvm (got hvf)"), r.err());
    r = CliRun.run(labs, "bench", "nesting", "--io-mib", "0");
    assertOneLineNaming(r, labs, "--io-mib", "bench nesting --io-mib 0");
  }

  @Test
  void benchMigrationTakesTheGuestsVcpusFrom1To8() {
    ForbiddenLabs labs = new ForbiddenLabs();
    for (String bad : List.of("0", "9")) {
      CliRun r = CliRun.run(labs, "bench", "migration", "--vcpus", bad);
      assertOneLineNaming(r, labs, "--vcpus", "bench migration --vcpus " + bad);
      assertTrue(r.err().contains("from 1 to 8 (got " + bad + ")"), r.err());
    }
    BenchCommand.Migration m = new BenchCommand.Migration(labs);
    new CommandLine(m).parseArgs();
    assertEquals(1, m.vcpus, "one vCPU unless asked");
    new CommandLine(m).parseArgs("--vcpus", "2");
    assertEquals(2, m.vcpus);
    CliRun r = CliRun.run(labs, "bench", "migration", "--vcpus", "2");
    assertEquals(1, r.exit(), r.toString());
    assertEquals(1, labs.attempts().size(), "a valid --vcpus reaches the lab: " + r);
  }

  @Test
  void demoTakesAStandbyStoreInGibFrom0() {
    ForbiddenLabs labs = new ForbiddenLabs();
    for (String bad : List.of("-1", "x", "1.5", "1048577")) {
      CliRun r = CliRun.run(labs, "demo", "--standby-store-gib", bad);
      assertOneLineNaming(r, labs, "--standby-store-gib", "demo --standby-store-gib " + bad);
      assertTrue(r.err().contains("(got " + bad + ")"), r.err());
    }
    for (String good : List.of("0", "16")) {
      CliRun r = CliRun.run(labs, "demo", "--standby-store-gib", good);
      assertEquals(1, r.exit(), r.toString());
    }
    assertEquals(2, labs.attempts().size(), "a valid --standby-store-gib reaches the lab");
    DemoCommand d = new DemoCommand(labs);
    new CommandLine(d).parseArgs();
    assertEquals(0, d.standbyStoreGib, "no standby store unless asked");
    new CommandLine(d).parseArgs("--standby-store-gib", "16");
    assertEquals(16, d.standbyStoreGib);
    TraceMarket market = DemoCommand.market(DATA, new DemoClock(DemoCommand.DEFAULT_FROM));
    FleetDemo.Settings settings =
        new FleetDemo.Settings(
            240, 256, 1, Duration.ofHours(8), Duration.ofMinutes(25), 5, 0, 16 * 1024);
    assertEquals(16 * 1024, FleetDemo.config(market, settings).standbyStoreMiB());
  }

  @Test
  void benchMigrationAndStandingCopyStartTheSameTwoHostLabAndSayWhatTheyWillMeasure() {
    assertStartsTwoHostLab(
        "bench migration",
        200,
        "[bench migration] starting a lab of 2 hosts, link 200 Mbit/s;"
            + " 10 migrations to measure ...");
    assertStartsTwoHostLab(
        "bench migration --rate-mbit 0 --dirty-mib-s 1,2,3",
        0,
        "[bench migration] starting a lab"
            + " of 2 hosts, link unshaped; 13 migrations to measure ...");
    assertStartsTwoHostLab(
        "bench migration --no-variants --ram-mib 128",
        200,
        "[bench migration] starting a lab of 2"
            + " hosts, link 200 Mbit/s; 3 migrations to measure ...");
    assertStartsTwoHostLab(
        "bench standing-copy",
        80,
        "[bench standing-copy] starting a lab of 2 hosts, link 80"
            + " Mbit/s; 2 standing copies to measure ...");
    assertStartsTwoHostLab(
        "bench standing-copy --rate-mbit 0 --dirty-mib-s 1,2,3",
        0,
        "[bench standing-copy]"
            + " starting a lab of 2 hosts, link unshaped; 3 standing copies to measure ...");
  }

  /** {@code command} says {@code phase} first and asks for the two-host lab at {@code rateMbit}. */
  private static void assertStartsTwoHostLab(String command, int rateMbit, String phase) {
    ForbiddenLabs labs = new ForbiddenLabs();
    CliRun r = CliRun.run(labs, command.split(" "));
    assertEquals(phase, r.errLines().get(0), r.toString());
    assertEquals(
        List.of(
            "open TestbedSpec[hosts=2, hostMemoryMib=2048, link=LinkShape[rateMbit="
                + rateMbit
                + ", delayMs=0.0], workRoot=/var/tmp/spotnest, topology=SWITCHED]"),
        labs.attempts(),
        r.toString());
  }
}
