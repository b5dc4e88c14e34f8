package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.strategy.data.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrategyCommandsTest {
  private static final Path DATA = SharedData.require(Path.of("").toAbsolutePath().getParent());
  private static final String GCP =
      DATA.resolve("skypilot-spot-traces/preemption/1-node/gcp-04-30-2023/us-east1-b_c3-88.json")
          .toString();
  private static final String ADVISOR = DATA.resolve(SharedData.ADVISOR).toString();

  private record Run(int exit, String out, String err) {
    String lastLine() {
      List<String> lines = out.lines().toList();
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
  }

  private static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = SpotNestCommand.commandLine(new ForbiddenLabs()).execute(args);
      return new Run(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void simulateEndsWithTheContractLine() {
    Run r = run("simulate", "--trace", GCP, "--advisor", ADVISOR);
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("oracle"), r.out());
    assertTrue(
        r.lastLine()
            .matches(
                "simulate: saving_vs_ondemand_pct=(-?\\d+\\.\\d|n/a) oracle_ratio_pct=(-?\\d+\\.\\d|n/a) "
                    + "builds_restarted=\\d+ deadline_misses=\\d+ migrations=\\d+"),
        r.lastLine());
    // the measured breakdown of ours' restarts comes just before the contract line
    String[] lines = r.out().strip().split("\\R");
    assertTrue(
        lines[lines.length - 2].matches(
            "restart_causes \\(.*\\): restarted=\\d+ declined=\\d+ .* \\| in_move_at_notice"
                + " burst_drain=\\d+ early_evacuation=\\d+ other=\\d+"),
        lines[lines.length - 2]);
  }

  @Test
  void simulateTakesTheCopyWishRuleAndRefusesABadOneInOneLine() {
    Run r = run("simulate", "--trace", GCP, "--advisor", ADVISOR);
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("; copy wish long:60 ("), "the documented default\n" + r.out());
    r = run("simulate", "--trace", GCP, "--advisor", ADVISOR, "--copy-wish", "all");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("; copy wish all ("), r.out());
    for (String bad : List.of("sometimes", "long:", "long:-5", "long:abc")) {
      r = run("simulate", "--trace", GCP, "--advisor", ADVISOR, "--copy-wish", bad);
      assertEquals(2, r.exit(), bad + "\n" + r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().contains("--copy-wish"), r.err());
      assertTrue(!r.err().contains("Exception"), r.err());
      assertEquals("", r.out());
    }
  }

  @Test
  void simulateScoresOnlyWhatTheModelDidNotSeeAndSaysSo() {
    Run r = run("simulate", "--trace", GCP, "--advisor", ADVISOR);
    assertEquals(0, r.exit(), r.err());
    assertTrue(
        r.out()
            .contains(
                "scored: the last 40% of the run (held out: the model was fitted on the first 60% of "
                    + "each trace)"),
        r.out());
    r = run("simulate", "--trace", GCP, "--advisor", ADVISOR, "--no-fit");
    assertEquals(0, r.exit(), r.err());
    assertTrue(
        r.out().contains("scored: the whole run (model not fitted: default parameters)"), r.out());
    String other =
        DATA.resolve(
                "skypilot-spot-traces/preemption/1-node/gcp-04-30-2023/us-central1-a_c3-88.json")
            .toString();
    r = run("simulate", "--trace", GCP, "--advisor", ADVISOR, "--fit-trace", other);
    assertEquals(0, r.exit(), r.err());
    assertTrue(
        r.out()
            .contains(
                "scored: the whole run (model fitted on 1 other trace(s), none of them simulated)"),
        r.out());
    r = run("simulate", "--trace", GCP, "--advisor", ADVISOR, "--fit-trace", GCP);
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--fit-trace"), r.err());
  }

  @Test
  void evaluateEndsWithTheContractLine() {
    Run r = run("evaluate", "--trace", GCP, "--advisor", ADVISOR);
    assertEquals(0, r.exit(), r.err());
    assertTrue(
        r.lastLine().matches("evaluate: recall=\\S+ precision=\\S+ median_lead_min=\\S+"),
        r.lastLine());
    // the GCP trace's 3 reclamations are all in the training part: nothing to score, said as n/a,
    // never NaN
    assertEquals("evaluate: recall=n/a precision=0.000 median_lead_min=n/a", r.lastLine());
  }

  @Test
  void malformedInputsNameLineAndField(@TempDir Path dir) throws Exception {
    Path trace = dir.resolve("us-east-1b_intel_64.json");
    Files.writeString(trace, "{\"metadata\": {\"gap_seconds\": 30},\n\"data\": [1, 1, true]}");
    Run r = run("simulate", "--trace", trace.toString(), "--advisor", ADVISOR);
    assertEquals(2, r.exit());
    assertTrue(r.err().contains(":2: field 'data[2]'"), r.err());

    Path workload = dir.resolve("w.csv");
    Files.writeString(workload, "arrival_min,duration_min,ram_gib\n0,30,8\n5,x,8\n");
    r = run("simulate", "--trace", GCP, "--advisor", ADVISOR, "--workload", workload.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("w.csv:3: field 'duration_min'"), r.err());

    r = run("simulate", "--trace", GCP, "--advisor", ADVISOR, "--instance-type", "r5.16xlarge");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--zone"), r.err());

    r = run("simulate", "--trace", GCP, "--advisor", ADVISOR, "--warm-spares", "SOMETIMES");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--warm-spares"), r.err());
  }

  @Test
  void longCommandsShowProgressOnStderrAndKeepStdoutParseable() {
    for (String command : List.of("simulate", "evaluate")) {
      Run r = run(command, "--trace", GCP, "--advisor", ADVISOR);
      assertEquals(0, r.exit(), r.err());
      List<String> progress = r.err().lines().toList();
      assertTrue(progress.size() >= 3, command + " shows its phases on stderr: " + progress);
      assertTrue(
          progress.stream().allMatch(l -> l.startsWith("[" + command + "] ")), progress.toString());
      assertTrue(progress.get(0).contains("reading 1 trace"), progress.toString());
      assertTrue(
          progress.get(progress.size() - 1).matches("\\[" + command + "] .* in \\d+\\.\\d s"),
          progress.toString());
      assertTrue(
          r.out().lines().noneMatch(l -> l.startsWith("[")), "no progress on stdout: " + r.out());
      assertTrue(r.lastLine().startsWith(command + ": "), r.lastLine());
    }
  }

  @Test
  void aMissingOrUnreadableInputFileIsReportedAsSuch(@TempDir Path dir) {
    String missing = dir.resolve("us-east-1b_r5.16xlarge.json").toString();
    for (String command : List.of("simulate", "evaluate")) {
      Run r = run(command, "--trace", missing, "--advisor", ADVISOR);
      assertEquals(2, r.exit(), r.err());
      assertEquals("spotnest: --trace " + missing + " does not exist", r.err().strip());
      r = run(command, "--trace", "/nonexistent.json");
      assertEquals("spotnest: --trace /nonexistent.json does not exist", r.err().strip());
      r = run(command, "--trace", GCP, "--advisor", dir.toString());
      assertEquals("spotnest: --advisor " + dir + " is a directory, not a file", r.err().strip());
    }
    Run r = run("simulate", "--trace", GCP, "--advisor", ADVISOR, "--workload", missing);
    assertEquals("spotnest: --workload " + missing + " does not exist", r.err().strip());
  }

  @Test
  void simulateSaysWhichFleetMechanismsOursUses() {
    Run r =
        run(
            "simulate",
            "--trace",
            GCP,
            "--advisor",
            ADVISOR,
            "--warm-spares",
            "OFF",
            "--no-burst-drain",
            "--build-estimate",
            "history");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("ours: warm spares OFF, burst drain off"), r.out());
    assertTrue(r.out().contains(", build lengths history\n"), r.out());
  }

  @Test
  void byDefaultOursSeesTheCausalEstimateTheOrchestratorUsesNotTheTrueLengths() {
    Run r = run("simulate", "--trace", GCP, "--advisor", ADVISOR);
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains(", build lengths conditional\n"), r.out());
  }

  @Test
  void aBuildEstimateIsExactOrHistory() {
    Run r = run("simulate", "--trace", GCP, "--advisor", ADVISOR, "--build-estimate", "median");
    assertEquals(2, r.exit(), r.err());
    List<String> lines = r.err().strip().lines().toList();
    assertEquals(1, lines.size(), r.err());
    assertTrue(lines.get(0).contains("--build-estimate"), r.err());
    assertTrue(
        lines.get(0).contains("must be exact, history or conditional (got median)"), r.err());
  }
}
