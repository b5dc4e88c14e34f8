package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spotnest.testbed.LabPrerequisites;
import io.spotnest.testbed.Shell;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code spotnest demo --jenkins WAR} end to end: the plugin (the built .hpi) in the real Jenkins
 * SPOTNEST_JENKINS_WAR names, over three lab hosts; its sign-in page answers from this machine at
 * the printed address while the demo runs; the build is moved live twice as the market feed's
 * notices come and ends SUCCESS; afterwards Jenkins no longer answers and nothing of the lab is
 * left. Skipped, loudly, when SPOTNEST_JENKINS_WAR is unset (also under CI=true), as
 * RealJenkinsCloudLabTest is.
 */
@Tag("lab")
class JenkinsDemoLabTest {
  static final String WAR_VARIABLE = "SPOTNEST_JENKINS_WAR";
  private static final Pattern UP =
      Pattern.compile(
          "demo: Jenkins up at (http://(\\d+\\.\\d+\\.\\d+\\.\\d+):\\d+/) after \\S+ s: sign in as"
              + " (\\S+), password ([0-9a-f]+) ");
  private static final Pattern LAB = Pattern.compile("demo: lab (\\d+) up in ");
  private static final Pattern MOVED =
      Pattern.compile(
          "demo: moved (\\S+) from (\\S+) to (\\S+) in ([0-9.]+) s, paused (\\d+) ms, \\S+ s after"
              + " the notice; because (.*)");
  private static final Pattern LINE =
      Pattern.compile(
          "demo: builds_finished=(\\d+) builds_restarted=(\\d+) migrations=(\\d+)"
              + " max_pause_ms=(\\d+)");

  @Test
  @Timeout(value = 45, unit = TimeUnit.MINUTES)
  void theJenkinsStoryRunsWithItsUiReachableHereAndLeavesNothingBehind() throws Exception {
    Path war = warOrSkip();
    LabPrerequisites.require();
    long t0 = System.nanoTime();
    CliRun.Background run =
        CliRun.start(new LocalLabControl(), "demo", "--jenkins", war.toString());
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String signIn = "not tried";
    while (!run.result().isDone()) {
      Matcher up = UP.matcher(run.errSoFar());
      if (signIn.equals("not tried") && up.find()) {
        HttpResponse<String> login =
            client.send(
                HttpRequest.newBuilder(URI.create(up.group(1)).resolve("login")).build(),
                HttpResponse.BodyHandlers.ofString());
        signIn = "HTTP " + login.statusCode();
      }
      Thread.sleep(1000);
    }
    CliRun r = run.result().get();
    long seconds = (System.nanoTime() - t0) / 1_000_000_000;
    r.errLines().stream()
        .filter(l -> l.startsWith("demo"))
        .map(l -> "[jenkins-demo err] " + l.replaceAll("password [0-9a-f]+", "password (hidden)"))
        .forEach(System.out::println);
    System.out.println("[jenkins-demo] " + r.out().strip());
    System.out.println(
        "[jenkins-demo] took " + seconds + " s; sign-in page during the run: " + signIn);

    assertEquals(0, r.exit(), r.toString());
    Matcher up = UP.matcher(r.err());
    assertTrue(up.find(), "the address and the login are printed: " + r.err());
    assertFalse(up.group(2).startsWith("127."), "on the lab controller address: " + up.group());
    assertEquals("HTTP 200", signIn, "Jenkins' sign-in page answers from this machine");
    Matcher m = LINE.matcher(r.lastLine());
    assertTrue(m.matches(), "summary line: " + r.lastLine());
    assertEquals(1, Integer.parseInt(m.group(1)), "builds finished");
    assertEquals(0, Integer.parseInt(m.group(2)), "builds restarted");
    assertEquals(2, Integer.parseInt(m.group(3)), "migrations");
    assertTrue(Long.parseLong(m.group(4)) > 0, "a pause was measured: " + r.lastLine());
    Matcher moved = MOVED.matcher(r.err());
    assertTrue(moved.find(), "the first move is told: " + r.err());
    String second = moved.group(3);
    assertTrue(moved.group(6).contains("notice"), moved.group());
    assertTrue(moved.find(), "the second move is told: " + r.err());
    assertEquals(second, moved.group(2), "the second move leaves the first one's target");
    for (String phase :
        List.of(
            "cloud 'spotnest' configured",
            "agent spotnest-",
            "market: risk of",
            "market: notice written for",
            " SUCCESS in ",
            "tearing down")) {
      assertTrue(r.err().contains(phase), "progress line '" + phase + "': " + r.err());
    }

    // nothing left: Jenkins does not answer, no namespace or process of the demo's lab
    assertThrows(
        IOException.class,
        () ->
            client.send(
                HttpRequest.newBuilder(URI.create(up.group(1)).resolve("login")).build(),
                HttpResponse.BodyHandlers.discarding()),
        "Jenkins is stopped");
    Matcher lab = LAB.matcher(r.err());
    assertTrue(lab.find(), "the demo names its lab: " + r.err());
    int index = Integer.parseInt(lab.group(1));
    for (String ns : new Shell().run("ip", "netns", "list").stdout().lines().toList()) {
      String name = ns.split(" ")[0];
      assertFalse(
          name.equals("snl" + index)
              || name.equals("sng" + index)
              || name.startsWith("snh" + index + "x"),
          name + " left behind");
    }
    String ps = new Shell().run("ps", "-eo", "args").stdout();
    for (String marker : List.of("/var/tmp/spotnest/lab" + index + "/", "spotnest-jenkins-demo")) {
      assertFalse(ps.contains(marker), "a process of the demo is left: " + marker);
    }
  }

  private static Path warOrSkip() {
    String war = System.getenv(WAR_VARIABLE);
    if (war == null || war.isBlank()) {
      String why =
          "SKIPPED JenkinsDemoLabTest: "
              + WAR_VARIABLE
              + " is not set, so './spotnest demo --jenkins' was NOT tried. Set it to a"
              + " jenkins.war (2.541.3) to run this test.";
      System.err.println("*".repeat(100) + "\n" + why + "\n" + "*".repeat(100));
      assumeTrue(false, why);
    }
    Path file = Path.of(war);
    assertTrue(Files.isRegularFile(file), WAR_VARIABLE + "=" + war + " is not a file");
    return file;
  }
}
