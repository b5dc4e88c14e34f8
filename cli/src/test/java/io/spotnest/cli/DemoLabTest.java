package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spotnest.testbed.LabJanitor;
import io.spotnest.testbed.LabPrerequisites;
import io.spotnest.testbed.Shell;
import io.spotnest.testbed.browser.HeadlessChromium;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code spotnest demo} end to end: the orchestrator, the strategy, the testbed's hosts, the engine
 * and two agent VMs running the stand-in build over a replayed trace. Both builds finish unbroken,
 * at least three migrations (the risk-driven one to on-demand, the move back to spot once a pool
 * calms, and the forced one), the dashboard is served during the run (a screenshot is taken once
 * the agent is back on spot: {@code target/dashboard-demo.png}, and also the file {@code
 * -Dspotnest.screenshot} names, e.g. {@code ../docs/dashboard-demo.png}), and nothing of the demo's
 * lab is left afterwards: no namespace, no ledger, no QEMU of its agents, none of its libvirtd
 * daemons. About 6.5 min here (TCG, 2 shared cores, loaded): the demo stops itself after 10 min,
 * inside the watchdog's 11.
 */
@Tag("lab")
class DemoLabTest {
  private static final Pattern LINE =
      Pattern.compile(
          "demo: builds_finished=(\\d+) builds_restarted=(\\d+) "
              + "migrations=(\\d+) max_pause_ms=(\\d+) saving_vs_ondemand_pct=(-?\\d+\\.\\d)");
  private static final Pattern RISK =
      Pattern.compile(
          "risk-driven move of (agent-\\S+): (\\S+) \\(spot [^)]+\\) -> \\S+ \\(on-demand\\)"
              + "[\\s\\S]*move of \\1 ended \\(risk-driven\\): \\S+ migrated on ");
  private static final Pattern BACK =
      Pattern.compile(
          "move back to spot of (agent-\\S+): \\S+ \\(on-demand\\) -> \\S+ \\(spot [^)]+\\)"
              + "[\\s\\S]*move of \\1 ended \\(move back to spot\\): \\S+ migrated on "
              + "[\\s\\S]*agent \\1 moved back to spot: ");
  private static final Pattern DASHBOARD =
      Pattern.compile(
          "demo: dashboard at (http://127\\.0\\.0\\.1:\\d+/) \\(open (\\S+) to sign in");
  private static final Pattern LAB =
      Pattern.compile("lab (\\d+): hosts .*, work directory (\\S+), libvirtd pids \\[([^]]*)]");

  @Test
  @Timeout(value = 11, unit = TimeUnit.MINUTES)
  void theWholeIdeaRunsAndLeavesNothingBehind() throws Exception {
    LabPrerequisites.require();
    LabPrerequisites.image();
    long t0 = System.nanoTime();

    boolean chromium = HeadlessChromium.installed();
    if (!chromium && "true".equals(System.getenv("CI"))) {
      fail("chromium is not installed (src/sh/prereqs.sh installs it): no dashboard screenshot");
    }
    Path png = Path.of("target", "dashboard-demo.png");
    Files.deleteIfExists(png);
    CliRun.Background run = CliRun.start(new LocalLabControl(), "demo", "--timeout-min", "10");
    String screenshot = "not taken";
    while (!run.result().isDone()) {
      String err = run.errSoFar();
      Matcher dash = DASHBOARD.matcher(err);
      if (chromium && screenshot.equals("not taken") && dash.find() && BACK.matcher(err).find()) {
        try {
          screenshot(URI.create(dash.group(2)), png);
          screenshot = "taken once the agent was back on spot";
        } catch (IOException e) {
          screenshot = "failed: " + e.getMessage();
        }
      }
      Thread.sleep(1000);
    }
    CliRun r = run.result().get();

    long seconds = (System.nanoTime() - t0) / 1_000_000_000;
    r.errLines().stream()
        .filter(l -> l.startsWith("demo"))
        .map(l -> "[demo err] " + l.replaceAll("token=\\S+", "token=(hidden)"))
        .forEach(System.out::println);
    System.out.println("[demo] " + r.out().strip().replace("\n", "\n[demo] "));
    System.out.println("[demo] took " + seconds + " s; dashboard screenshot " + screenshot);
    Matcher lab = LAB.matcher(r.err());
    assertTrue(lab.find(), "the demo names its lab: " + r.err());
    assertEquals(0, r.exit(), r.toString());
    Matcher m = LINE.matcher(r.lastLine());
    assertTrue(m.matches(), "summary line: " + r.lastLine());
    assertEquals(2, Integer.parseInt(m.group(1)), "builds finished");
    assertEquals(0, Integer.parseInt(m.group(2)), "builds restarted");
    assertTrue(Integer.parseInt(m.group(3)) >= 3, "migrations: " + r.lastLine());
    assertTrue(Long.parseLong(m.group(4)) > 0, "a pause was measured: " + r.lastLine());
    assertTrue(Double.parseDouble(m.group(5)) > 0, "spot saved money: " + r.lastLine());
    assertTrue(RISK.matcher(r.err()).find(), "the risk path, spot to on-demand: " + r.err());
    assertTrue(
        BACK.matcher(r.err()).find(), "an agent moves back from on-demand to spot: " + r.err());
    assertTrue(r.err().contains("FORCED move of"), "the notice path: " + r.err());
    assertTrue(r.err().contains("INJECTED"), "the scripted notice says so: " + r.err());
    assertTrue(DASHBOARD.matcher(r.err()).find(), "the dashboard's address: " + r.err());
    if (chromium) {
      assertTrue(
          Files.size(png) > 20_000, "a screenshot of the dashboard during the demo: " + screenshot);
      String copy = System.getProperty("spotnest.screenshot", "");
      if (!copy.isBlank()) {
        Files.copy(png, Path.of(copy), StandardCopyOption.REPLACE_EXISTING);
      }
    }

    int index = Integer.parseInt(lab.group(1));
    String dir = lab.group(2);
    String namespaces = new Shell().run("ip", "netns", "list").stdout();
    for (String ns : namespaces.lines().map(l -> l.split(" ")[0]).toList()) {
      assertFalse(
          ns.equals("snl" + index) || ns.startsWith("snh" + index + "x"), ns + " left behind");
    }
    assertFalse(
        Files.exists(
            new LabJanitor(new Shell(), LabJanitor.defaultStateRoot()).ledgerFor(index).file()),
        "the lab's ledger is removed once everything in it is");
    assertEquals(
        List.of(), processesMentioning(dir + "/"), "no QEMU or libvirtd of the demo's lab is left");
    for (String pid : lab.group(3).split(",\\s*")) {
      assertTrue(pid.matches("\\d+"), "the demo read its daemons' pids: " + lab.group());
      Path cmdline = Path.of("/proc", pid, "cmdline");
      assertFalse(
          Files.exists(cmdline) && Files.readString(cmdline).contains("libvirtd"),
          "libvirtd " + pid + " left");
    }
    Matcher agents = Pattern.compile("agent-[0-9a-f]{16}").matcher(r.err());
    while (agents.find()) {
      assertEquals(
          List.of(),
          processesMentioning(agents.group()),
          "no QEMU of agent " + agents.group() + " is left");
    }
  }

  /**
   * Writes to {@code png} what the dashboard at {@code signIn} shows after 6 s of the page's
   * virtual time (it polls its JSON every 2 s), in a window 1280 pixels wide, at most 1700 high.
   */
  private static void screenshot(URI signIn, Path png) throws IOException, InterruptedException {
    try (HeadlessChromium browser = HeadlessChromium.start("no dashboard screenshot")) {
      browser.open(signIn, 1280, 0);
      browser.runFor(6_000);
      Files.write(png, browser.screenshot(1700));
    }
  }

  /** Processes whose command line mentions {@code text}. */
  private static List<String> processesMentioning(String text) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
          if (cmd.contains(text) && (cmd.contains("qemu") || cmd.contains("libvirtd"))) {
            found.add(p.getFileName() + ": " + cmd);
          }
        } catch (IOException gone) {
          // the process ended while we looked
        }
      }
    }
    return found;
  }
}
