package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.testbed.LabJanitor;
import io.spotnest.testbed.LabPrerequisites;
import io.spotnest.testbed.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * at least two migrations (the risk-driven one and the forced one), and nothing of the demo's lab
 * is left afterwards: no namespace, no ledger, no QEMU of its agents, none of its libvirtd daemons.
 * About 5 min here (TCG, 2 shared cores): the demo stops itself after 10 min, well inside the
 * watchdog's 12.
 */
@Tag("lab")
class DemoLabTest {
  private static final Pattern LINE =
      Pattern.compile(
          "demo: builds_finished=(\\d+) builds_restarted=(\\d+) "
              + "migrations=(\\d+) max_pause_ms=(\\d+) saving_vs_ondemand_pct=(-?\\d+\\.\\d)");
  private static final Pattern LAB =
      Pattern.compile("lab (\\d+): hosts .*, work directory (\\S+), libvirtd pids \\[([^]]*)]");

  @Test
  @Timeout(value = 11, unit = TimeUnit.MINUTES)
  void theWholeIdeaRunsAndLeavesNothingBehind() throws Exception {
    LabPrerequisites.require();
    LabPrerequisites.image();
    long t0 = System.nanoTime();

    CliRun r = CliRun.run(new LocalLabControl(), "demo", "--timeout-min", "10");

    long seconds = (System.nanoTime() - t0) / 1_000_000_000;
    System.out.println("[demo] " + r.out().strip().replace("\n", "\n[demo] "));
    System.out.println("[demo] took " + seconds + " s");
    Matcher lab = LAB.matcher(r.err());
    assertTrue(lab.find(), "the demo names its lab: " + r.err());
    assertEquals(0, r.exit(), r.toString());
    Matcher m = LINE.matcher(r.lastLine());
    assertTrue(m.matches(), "summary line: " + r.lastLine());
    assertEquals(2, Integer.parseInt(m.group(1)), "builds finished");
    assertEquals(0, Integer.parseInt(m.group(2)), "builds restarted");
    assertTrue(Integer.parseInt(m.group(3)) >= 2, "migrations: " + r.lastLine());
    assertTrue(Long.parseLong(m.group(4)) > 0, "a pause was measured: " + r.lastLine());
    assertTrue(Double.parseDouble(m.group(5)) > 0, "spot saved money: " + r.lastLine());
    assertTrue(r.err().contains("risk-driven move of"), "the risk path: " + r.err());
    assertTrue(r.err().contains("FORCED move of"), "the notice path: " + r.err());
    assertTrue(r.err().contains("INJECTED"), "the scripted notice says so: " + r.err());

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
