package io.spotnest.orchestrator.reconcile;

import static io.spotnest.orchestrator.testing.States.OD;
import static io.spotnest.orchestrator.testing.States.SPOT_A;
import static io.spotnest.orchestrator.testing.States.SPOT_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.journal.FileJournal;
import io.spotnest.orchestrator.journal.Journal;
import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.model.LostBuild;
import io.spotnest.orchestrator.model.ManagedHost;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.port.Evacuation;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.testing.FakeWorld;
import io.spotnest.orchestrator.testing.Rig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill at every step: a scenario runs once while the world is photographed at every journal append;
 * then, for every prefix of the journal, a fresh orchestrator restarts from that prefix against the
 * world as it was just before and just after the action that followed the last durable record,
 * reconciles, runs a few ticks, and the invariants must hold: each agent on exactly one host, no VM
 * the model does not own, no orphan host, nothing lost without a recorded reason, and no action
 * without a journal record announcing it.
 */
class CrashTest {

  @TempDir Path dir;

  /** A file journal that photographs the world before every append. */
  private static final class Photographing implements Journal {
    final FileJournal inner;
    final List<FakeWorld> before = new ArrayList<>();
    FakeWorld world;

    Photographing(Path file) {
      inner = FileJournal.open(file);
    }

    @Override
    public void append(JournalRecord r) {
      before.add(world.copy());
      inner.append(r);
    }

    @Override
    public List<JournalRecord> replay() {
      return inner.replay();
    }
  }

  @Test
  void aRestartAfterAKillAtAnyPointReconcilesToOneCopyOfEveryAgentAndLosesNothingSilently()
      throws IOException {
    killAtEveryStep("plain", CrashTest::runScenario, List.of(), 40);
  }

  /**
   * The same with standing copies (issue 12): every copy the restarted model holds stands on its
   * backup, once, and no standby is left that the model does not hold.
   */
  @Test
  void aRestartAfterAKillAtAnyPointNeitherLosesNorDuplicatesAStandingCopy() throws IOException {
    killAtEveryStep(
        "copies", CrashTest::runCopyScenario, List.of("copy-a1", "copy-a2", "copy-a3"), 30);
  }

  private void killAtEveryStep(
      String name,
      java.util.function.Function<Rig, List<JournalRecord>> scenario,
      List<String> wanted,
      int minRecords)
      throws IOException {
    Path file = dir.resolve(name + ".jsonl");
    Photographing journal = new Photographing(file);
    FakeWorld world = new FakeWorld();
    journal.world = world;
    Rig rig = new Rig(journal, world);
    rig.strategy.standingCopies.addAll(wanted);
    List<JournalRecord> all = scenario.apply(rig);
    journal.inner.close();
    assertTrue(world.violations().isEmpty(), world.violations().toString());
    assertTrue(
        all.size() > minRecords,
        "the scenario should be rich, it wrote " + all.size() + " records");

    List<String> lines = Files.readAllLines(file);
    assertEquals(all.size(), lines.size());
    int checked = 0;
    for (int k = 0; k <= all.size(); k++) {
      FakeWorld afterAction = k < all.size() ? journal.before.get(k) : world;
      checkRestart(
          cut(lines, k, "after-" + k),
          all.subList(0, k),
          afterAction,
          "journal cut after " + k + " records, action done",
          wanted);
      checked++;
      if (k > 0) {
        checkRestart(
            cut(lines, k, "before-" + k),
            all.subList(0, k),
            journal.before.get(k - 1),
            "journal cut after " + k + " records, action of record " + (k - 1) + " not done",
            wanted);
        checked++;
      }
    }
    System.out.println("crash points checked: " + checked + " (" + all.size() + " records)");
  }

  private static List<JournalRecord> runScenario(Rig rig) {
    FakeWorld w = rig.world;
    String s1 = rig.host(SPOT_A, Market.SPOT);
    String s2 = rig.host(SPOT_B, Market.SPOT);
    String o1 = rig.host(OD, Market.ON_DEMAND);
    String a1 = rig.agent(s1, 2048, true);
    rig.agent(s1, 2048, true);
    String a3 = rig.agent(s2, 2048, false);
    Orchestrator o = rig.start();
    String n1 = o.requestAgent(4096, Duration.ofHours(1));
    String n2 = o.requestAgent(4096, Duration.ofHours(1));
    o.tick();
    for (String n : List.of(n1, n2)) {
      if (o.state().findAgent(n).orElseThrow().phase() == AgentPhase.BOOTING) {
        o.agentOnline(n);
        o.buildStarted(n);
      }
    }
    w.event(
        new FleetEvent.Notice(
            w.nextEventId(), s1, "sqs", rig.clock.instant(), rig.clock.instant().plusSeconds(120)));
    w.event(
        new FleetEvent.Notice(
            w.nextEventId(),
            s1,
            "imds",
            rig.clock.instant(),
            rig.clock.instant().plusSeconds(120)));
    w.orphan(SPOT_A);
    o.tick();
    w.completeMoves();
    o.tick();
    w.event(new FleetEvent.Rebalance(w.nextEventId(), s2, "imds", rig.clock.instant()));
    o.tick();
    o.retireAgent(a3);
    String busyOnS2 = o.state().agentsOn(s2).stream().findFirst().orElseThrow();
    rig.strategy.evacuations.add(
        new Evacuation(busyOnS2, s2, rig.clock.instant().plusSeconds(1800), false, "risk"));
    o.tick();
    o.tick();
    w.reclaim(s2);
    o.tick();
    w.completeMoves();
    o.tick();
    w.reclaim(s1);
    o.tick();
    o.buildFinished(o.state().findAgent(a1).orElseThrow().id());
    o.tick();
    assertTrue(
        o.lostBuilds().stream().anyMatch(l -> l.hostId().equals(s2)),
        "the scenario loses a build on s2");
    assertTrue(o.state().findHost(o1).isPresent());
    return rig.journal.replay();
  }

  /**
   * The journal file as a kill after {@code k} records leaves it: k whole lines and half of the
   * next one.
   */
  private Path cut(List<String> lines, int k, String name) throws IOException {
    StringBuilder b = new StringBuilder();
    lines.subList(0, k).forEach(l -> b.append(l).append('\n'));
    if (k < lines.size()) {
      b.append(lines.get(k), 0, lines.get(k).length() / 2);
    }
    Path f = dir.resolve(name + ".jsonl");
    Files.writeString(f, b);
    return f;
  }

  /**
   * Agents named copy-a1.. (seeded under these ids), all busy on spot: a1 and a2 on s1, a3 on s2;
   * the plan wants a copy of each; s1 gets a notice (flushes), a3 is retired, s1 is reclaimed.
   */
  private static List<JournalRecord> runCopyScenario(Rig rig) {
    FakeWorld w = rig.world;
    String s1 = rig.host(SPOT_A, Market.SPOT);
    String s2 = rig.host(SPOT_B, Market.SPOT);
    rig.host(OD, Market.ON_DEMAND);
    rig.namedAgent("copy-a1", s1, 2048, true, true);
    rig.namedAgent("copy-a2", s1, 2048, true, true);
    rig.namedAgent("copy-a3", s2, 2048, true, true);
    Orchestrator o = rig.start();
    o.tick();
    assertEquals(3, o.state().copies().size(), "the scenario starts three copies");
    w.event(
        new FleetEvent.Notice(
            w.nextEventId(), s1, "sqs", rig.clock.instant(), rig.clock.instant().plusSeconds(120)));
    o.tick();
    o.tick();
    o.retireAgent("copy-a3");
    o.tick();
    w.reclaim(s1);
    o.tick();
    o.tick();
    assertTrue(o.lostBuilds().isEmpty(), "the flushes saved s1's builds: " + o.lostBuilds());
    return rig.journal.replay();
  }

  private static void checkRestart(
      Path journalFile,
      List<JournalRecord> prefix,
      FakeWorld crashWorld,
      String label,
      List<String> wanted) {
    FakeWorld world = crashWorld.copy();
    Map<String, List<String>> runningAtCrash = world.copies();
    Set<String> liveAtCrash = world.hosts().keySet();
    FileJournal journal = FileJournal.open(journalFile);
    assertEquals(
        prefix, journal.replay(), label + ": the torn last line must be dropped, nothing else");
    Rig rig = new Rig(journal, world);
    rig.strategy.standingCopies.addAll(wanted);
    Orchestrator o;
    try {
      o = rig.start();
      for (int i = 0; i < 6; i++) {
        o.tick();
        world.completeMoves();
      }
    } catch (RuntimeException e) {
      throw new AssertionError(label + ": restart failed: " + e, e);
    } finally {
      journal.close();
    }
    FleetState s = o.state();
    assertEquals(List.of(), world.violations(), label + ": actions without a journal record");
    Map<String, String> held = new java.util.HashMap<>();
    s.copies().forEach(c -> held.put(c.agentId(), c.backup()));
    assertEquals(held, world.standbys(), label + ": standby copies on the hosts vs the model");
    assertEquals(
        s.copies().stream().map(c -> c.copyId()).collect(Collectors.toSet()),
        world.streams().stream().map(c -> c.copyId()).collect(Collectors.toSet()),
        label + ": one stream per copy the model holds");

    Map<String, List<String>> copies = world.copies();
    for (Agent a : s.agents()) {
      if (a.mayRun()) {
        assertEquals(
            List.of(a.hostId()),
            copies.getOrDefault(a.id(), List.of()),
            label + ": agent " + a.id() + " (" + a.phase() + ") must run exactly on " + a.hostId());
      }
    }
    for (String vm : copies.keySet()) {
      assertTrue(
          s.findAgent(vm).map(Agent::mayRun).orElse(false),
          label + ": VM " + vm + " runs unowned " + copies.get(vm));
    }
    Set<String> lost = s.lostBuilds().stream().map(LostBuild::agentId).collect(Collectors.toSet());
    Set<String> retired =
        journal.replay().stream()
            .filter(
                r -> r instanceof JournalRecord.AgentPhaseChanged c && c.phase() == AgentPhase.GONE)
            .map(r -> ((JournalRecord.AgentPhaseChanged) r).agentId())
            .collect(Collectors.toSet());
    for (Agent a : s.agents()) {
      if (a.phase() == AgentPhase.GONE) {
        assertTrue(
            lost.contains(a.id()) || retired.contains(a.id()),
            label + ": " + a.id() + " gone silently");
      }
    }
    for (LostBuild l : s.lostBuilds()) {
      assertTrue(!l.reason().isBlank() && l.requeuedAs() != null, label + ": " + l);
    }
    for (Map.Entry<String, List<String>> vm : runningAtCrash.entrySet()) {
      boolean onLiveHost = liveAtCrash.contains(vm.getValue().get(0));
      if (onLiveHost && !retired.contains(vm.getKey())) {
        assertTrue(
            !lost.contains(vm.getKey())
                || s.lostBuilds().stream()
                    .anyMatch(
                        l -> l.agentId().equals(vm.getKey()) && l.reason().contains("vanished")),
            label + ": " + vm.getKey() + " was running on a live host and lost: " + s.lostBuilds());
      }
    }
    Set<String> modelLive =
        s.hosts().stream()
            .filter(ManagedHost::live)
            .map(ManagedHost::id)
            .collect(Collectors.toSet());
    assertEquals(
        modelLive,
        world.hosts().keySet(),
        label + ": model and cloud disagree (orphan or missed loss)");
    assertEquals(
        List.of(),
        List.copyOf(s.launching()),
        label + ": a journaled launch was never carried out");
  }
}
