package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.strategy.data.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code simulate --fit-trace} fits only on what cannot hold the scored run: not a copy of a
 * simulated trace (at any path, under any name), and not a trace of a simulated pool unless it
 * ended before that trace's scored part (with {@code --fit-trace}, the whole run) began. A trace's
 * time is known only from its directory, SkyPilot's {@code <cloud>-MM-DD-YYYY}: the day it started
 * in, so a fit trace may have ended up to a day after its start day plus its length.
 */
class FitTraceRefusalTest {
  private static final Path DATA = SharedData.require(Path.of("").toAbsolutePath().getParent());
  private static final Path GCP =
      DATA.resolve("skypilot-spot-traces/preemption/1-node/gcp-04-30-2023/us-east1-b_c3-88.json");
  private static final String ADVISOR = DATA.resolve(SharedData.ADVISOR).toString();

  @TempDir Path dir;

  /** The simulated trace of these tests: 12 h of r5.16xlarge in us-east-1b from 2023-04-01. */
  private Path simulated() throws Exception {
    return trace("aws-04-01-2023", "us-east-1b_intel_64.json", 720, 300);
  }

  /**
   * Writes a trace of {@code ticks} minutes (60 s ticks) with one reclamation at tick {@code
   * dropAt} (capacity back 20 minutes later) into directory {@code day} (a path under the test's
   * directory whose last part names the start day, or not).
   */
  private Path trace(String day, String name, int ticks, int dropAt) throws Exception {
    StringJoiner data = new StringJoiner(", ");
    for (int i = 0; i < ticks; i++) {
      data.add(i >= dropAt && i < dropAt + 20 ? "0" : "1");
    }
    Path file = Files.createDirectories(dir.resolve(day)).resolve(name);
    Files.writeString(file, "{\"metadata\": {\"gap_seconds\": 60}, \"data\": [" + data + "]}");
    return file;
  }

  private static CliRun simulate(Path simulated, Path fit) {
    List<String> args = new ArrayList<>(List.of("simulate", "--trace", simulated.toString()));
    args.addAll(List.of("--advisor", ADVISOR, "--fit-trace", fit.toString()));
    return CliRun.run(new ForbiddenLabs(), args.toArray(String[]::new));
  }

  private static void assertRefused(CliRun r, String... mentions) {
    assertEquals(2, r.exit(), r.out() + r.err());
    // one line, naming the option, after the progress lines ("[simulate] reading 1 trace(s)")
    List<String> errors = r.err().lines().filter(l -> !l.startsWith("[simulate] ")).toList();
    assertEquals(1, errors.size(), r.err());
    assertTrue(errors.get(0).startsWith("spotnest: --fit-trace: "), r.err());
    for (String m : mentions) {
      assertTrue(r.err().contains(m), m + " in " + r.err());
    }
    assertFalse(r.err().contains("Exception"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void aCopyOfTheSimulatedTraceIsRefusedAtAnyPathAndUnderAnyName() throws Exception {
    Path copy =
        Files.createDirectories(dir.resolve("elsewhere")).resolve("us-central1-f_c3-88.json");
    Files.copy(GCP, copy);
    assertRefused(simulate(GCP, copy), copy.toString(), "copy");
    Path sameName =
        Files.createDirectories(dir.resolve("gcp-04-30-2023")).resolve("us-east1-b_c3-88.json");
    Files.copy(GCP, sameName);
    assertRefused(simulate(GCP, sameName), sameName.toString());
  }

  @Test
  void aTraceOfTheSimulatedPoolThatCoversTheSameOrALaterTimeIsRefused() throws Exception {
    Path sim = simulated();
    // later: recorded a week after the simulated trace
    assertRefused(
        simulate(sim, trace("aws-04-08-2023", "us-east-1b_intel_64.json", 720, 100)),
        "r5.16xlarge@us-east-1b");
    // overlapping: started two days before, ran three days
    assertRefused(
        simulate(sim, trace("aws-03-30-2023", "us-east-1b_intel_64.json", 3 * 1440, 100)),
        "r5.16xlarge@us-east-1b");
    // the same day
    assertRefused(
        simulate(sim, trace("b/aws-04-01-2023", "us-east-1b_intel_64.json", 60, 30)),
        "r5.16xlarge@us-east-1b");
  }

  @Test
  void aLaterSharedTraceOfTheSimulatedPoolIsRefused() {
    Path availability = DATA.resolve("skypilot-spot-traces/availability/1-node");
    assertRefused(
        simulate(
            availability.resolve("aws-10-26-2022/us-west-2a_v100_1.json"),
            availability.resolve("aws-02-15-2023/us-west-2a_v100_1.json")),
        "p3.2xlarge@us-west-2a",
        "2023-04-0");
  }

  @Test
  void aTraceOfTheSimulatedPoolRecordedAtAnUnknownTimeIsRefused() throws Exception {
    assertRefused(
        simulate(simulated(), trace("undated", "us-east-1b_intel_64.json", 720, 100)),
        "r5.16xlarge@us-east-1b");
  }

  @Test
  void aTraceOfTheSimulatedPoolThatSurelyEndedBeforeItBeganIsTaken() throws Exception {
    Path sim = simulated();
    // started on 03-30 (at the latest at 24:00), ran exactly one day: ended by 04-01 00:00
    CliRun r = simulate(sim, trace("aws-03-30-2023", "us-east-1b_intel_64.json", 1440, 100));
    assertEquals(0, r.exit(), r.err());
    assertTrue(
        r.out().contains("model fitted on 1 other trace(s), none of them simulated"), r.out());
    // one minute longer: it may have ended after the simulated trace began
    assertRefused(
        simulate(sim, trace("b/aws-03-30-2023", "us-east-1b_intel_64.json", 1441, 100)),
        "r5.16xlarge@us-east-1b");
  }

  @Test
  void anotherPoolOfTheSameTimeIsTaken() throws Exception {
    CliRun r = simulate(simulated(), trace("aws-04-01-2023", "us-east-1c_intel_64.json", 720, 100));
    assertEquals(0, r.exit(), r.err());
  }
}
