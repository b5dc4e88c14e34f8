package io.spotnest.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("lab")
class TestbedLabTest extends LabTestCase {

  @Test
  void hosts_are_separate_daemons_reachable_only_through_the_lab_link() throws Exception {
    List<String> namespaces;
    try (Testbed tb = Testbed.start(new TestbedSpec(2, 512, new LinkShape(100, 0), work))) {
      TestbedHost a = tb.host(1);
      TestbedHost b = tb.host(2);
      assertEquals(
          "hosta", shell.run("virsh", "-q", "-c", a.clientUri(), "hostname").stdout().strip());
      assertEquals(
          "hostb", shell.run("virsh", "-q", "-c", b.clientUri(), "hostname").stdout().strip());
      assertNotEquals(sysinfoUuid(a), sysinfoUuid(b), "each host needs its own host_uuid");
      // host A's daemon reaches host B's over the lab LAN (the peer-to-peer migration path), seen
      // as A's daemon sees
      // the world: its network and mount namespaces (its own /etc/libvirt)
      asDaemonOf(a, "virsh", "-q", "-c", b.peerUri(), "uri");
      tb.requireLabRoute(b.address());
      TestbedException out =
          assertThrows(TestbedException.class, () -> tb.requireLabRoute("10.231.250.1"));
      assertTrue(out.getMessage().contains("refusing"), out.getMessage());
      String qdisc =
          shell
              .runIn(a.namespace(), "tc", "qdisc", "show", "dev", tb.names().hostUplink(1))
              .stdout();
      assertTrue(qdisc.contains("tbf") && qdisc.contains("rate 100Mbit"), qdisc);
      namespaces = List.of(tb.names().switchNamespace(), a.namespace(), b.namespace());
      assertTrue(Files.isRegularFile(a.pidFile()));
    }
    String listed = shell.run("ip", "netns", "list").stdout();
    for (String ns : namespaces) {
      assertFalse(
          listed.lines().anyMatch(l -> l.startsWith(ns + " ") || l.equals(ns)),
          ns + " left behind");
    }
  }

  @Test
  void janitor_removes_a_lab_whose_owner_was_killed_with_sigkill() throws Exception {
    HeldLab held = holdInChild(HoldLab.class);
    Process child = held.process();
    String ns = held.ready()[0];
    int index = Integer.parseInt(held.ready()[1]);
    assertTrue(shell.run("ip", "netns", "list").stdout().contains(ns));
    child.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertTrue(child.waitFor(10, TimeUnit.SECONDS));
    assertTrue(
        shell.exec(List.of("ip", "netns", "pids", ns)).stdout().strip().length() > 0,
        "the killed owner's libvirtd should still be running before the janitor");

    LabNames names = new LabNames(index);
    LabJanitor janitor = new LabJanitor(shell, LabJanitor.defaultStateRoot());
    assertTrue(Files.exists(janitor.ledgerFor(index).file()), "the killed lab's ledger");
    assertTrue(Files.isDirectory(work.resolve("lab" + index)), "the killed lab's work directory");

    // only this lab: other labs and fixtures on the machine are not this test's to clean
    List<String> removed = janitor.cleanIfUnused(index);

    assertTrue(removed.stream().anyMatch(s -> s.startsWith("namespace " + ns)), removed.toString());
    assertFalse(shell.run("ip", "netns", "list").stdout().contains(ns));
    assertFalse(shell.run("ip", "netns", "list").stdout().contains(names.switchNamespace() + " "));
    assertFalse(
        shell.exec(List.of("ip", "link", "show", names.managementDevice())).ok(),
        names.managementDevice() + " left behind");
    assertFalse(Files.exists(work.resolve("lab" + index)), "work directory left behind");
    assertFalse(Files.exists(janitor.ledgerFor(index).file()), "ledger left behind");
  }

  @Test
  void the_janitor_never_removes_a_lab_whose_lock_is_held() throws Exception {
    try (Testbed tb = Testbed.start(new TestbedSpec(1, 256, LinkShape.UNSHAPED, work))) {
      int k = tb.names().index();
      // a janitor pass in the lab owner's own JVM (as `Testbed.start` of a second lab does for
      // every index) ...
      List<String> here = new LabJanitor(shell, LabJanitor.defaultStateRoot()).cleanIfUnused(k);
      assertTrue(here.size() == 1 && here.get(0).contains("skipped"), here.toString());
      // ... and then one in another process
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  CleanLab.class.getName(),
                  Integer.toString(k))
              .redirectErrorStream(true)
              .start();
      String there = new String(p.getInputStream().readAllBytes()).strip();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS));
      assertTrue(there.contains("skipped") && !there.contains("namespace"), there);

      String listed = shell.run("ip", "netns", "list").stdout();
      assertTrue(
          listed.contains(tb.host(1).namespace()) && listed.contains(tb.names().switchNamespace()),
          listed);
      assertTrue(shell.exec(List.of("ip", "link", "show", tb.names().managementDevice())).ok());
      assertEquals(
          "hosta",
          shell.run("virsh", "-q", "-c", tb.host(1).clientUri(), "hostname").stdout().strip(),
          "the held lab's daemon still answers");
    }
  }

  /**
   * Runs one janitor pass over one lab index in a fresh JVM and prints what it removed or skipped.
   */
  public static final class CleanLab {
    public static void main(String[] args) {
      new LabJanitor(new Shell(), LabJanitor.defaultStateRoot())
          .cleanIfUnused(Integer.parseInt(args[0]))
          .forEach(System.out::println);
    }
  }

  /** Runs a command inside a host daemon's network and mount namespaces. */
  private Shell.Result asDaemonOf(TestbedHost h, String... command) throws Exception {
    String pid = Files.readString(h.pidFile()).strip();
    List<String> full = new java.util.ArrayList<>(List.of("nsenter", "-t", pid, "-n", "-m"));
    full.addAll(List.of(command));
    return shell.run(full.toArray(String[]::new));
  }

  /** Starts a one-host lab, prints its namespace and waits to be killed. */
  public static final class HoldLab {
    public static void main(String[] args) throws Exception {
      Testbed tb = Testbed.start(new TestbedSpec(1, 256, LinkShape.UNSHAPED, Path.of(args[0])));
      System.out.println("READY " + tb.host(1).namespace() + " " + tb.names().index());
      System.out.flush();
      Thread.sleep(600_000);
    }
  }

  private String sysinfoUuid(TestbedHost h) {
    String caps = shell.run("virsh", "-q", "-c", h.clientUri(), "capabilities").stdout();
    int i = caps.indexOf("<uuid>");
    return caps.substring(i, caps.indexOf("</uuid>", i));
  }
}
