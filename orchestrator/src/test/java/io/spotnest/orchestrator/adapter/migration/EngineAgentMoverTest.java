package io.spotnest.orchestrator.adapter.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.migration.MigrationListener;
import io.spotnest.migration.MigrationOutcome;
import io.spotnest.migration.MigrationPlanner;
import io.spotnest.migration.MigrationRequest;
import io.spotnest.migration.MigrationSettings;
import io.spotnest.migration.StandbyMemory;
import io.spotnest.migration.StandingCopyRequest;
import io.spotnest.migration.Tuning;
import io.spotnest.migration.VmState;
import io.spotnest.orchestrator.port.CopyOrder;
import io.spotnest.orchestrator.port.CopyStatus;
import io.spotnest.orchestrator.port.MoveOrder;
import io.spotnest.orchestrator.port.MoveStatus;
import io.spotnest.orchestrator.testing.StubHypervisors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EngineAgentMoverTest {
  private final StubHypervisors hosts = new StubHypervisors("h1", "h2", "h3");
  private final List<MoveReport> reports = new ArrayList<>();
  private final EngineAgentMover mover =
      new EngineAgentMover(
          hosts::endpoints,
          new MigrationPlanner(0.75, Duration.ofMillis(500)),
          hosts,
          Clock.systemUTC(),
          MigrationSettings.defaults(),
          (a, b) -> 25L << 20,
          MigrationListener.NONE,
          reports::add,
          StandbyMemory.RAM);
  private final Instant deadline = Instant.parse("2030-01-01T00:02:00Z");

  @Test
  void theEngineGetsTheOrdersAbsoluteDeadlineAndOnlyAForcedMoveTriesAnInfeasiblePlan() {
    MigrationRequest voluntary =
        mover.request(new MoveOrder("m1", "agent-1", "h1", "h2", deadline, false));
    MigrationRequest forced =
        mover.request(new MoveOrder("m2", "agent-1", "h1", "h2", deadline, true));

    assertEquals(deadline, voluntary.deadline());
    assertEquals("agent-1", voluntary.vmName(), "the agent id is its VM's name");
    assertEquals("h1", voluntary.source());
    assertEquals("h2", voluntary.destination());
    assertEquals(25L << 20, voluntary.linkBytesPerSecond());
    assertTrue(voluntary.refuseInfeasible());
    assertFalse(forced.refuseInfeasible());
  }

  private EngineAgentMover fileMover() {
    return new EngineAgentMover(
        hosts::endpoints,
        new MigrationPlanner(0.75, Duration.ofMillis(500)),
        hosts,
        Clock.systemUTC(),
        MigrationSettings.defaults(),
        (a, b) -> 25L << 20,
        MigrationListener.NONE,
        reports::add,
        StandbyMemory.FILE);
  }

  @Test
  void aCopyAsksTheEngineForTheStandbyItsOrderSaysAndARamMoverRefusesAFileOne() {
    EngineAgentMover toFiles = fileMover();
    CopyOrder order = new CopyOrder("copy-1", "agent-1", "h1", "h3", true);

    StandingCopyRequest file = toFiles.copyRequest(order);
    StandingCopyRequest ram =
        toFiles.copyRequest(new CopyOrder("copy-1", "agent-1", "h1", "h3", false));

    assertEquals(StandbyMemory.FILE, file.standbyMemory());
    assertEquals(StandbyMemory.RAM, ram.standbyMemory(), "a RAM order on a FILE mover");
    IllegalStateException refused =
        assertThrows(IllegalStateException.class, () -> mover.copyRequest(order));
    assertTrue(refused.getMessage().contains("RAM"), refused.getMessage());
    assertEquals("agent-1", file.vmName());
    assertEquals("h1", file.source());
    assertEquals("h3", file.backup());
    assertEquals(25L << 20, file.linkBytesPerSecond());
    assertEquals(MigrationSettings.defaults(), file.settings());
  }

  @Test
  void aFileOrderForAVmInRamIsRefusedNotKeptInRamWhichItsBackupDidNotReserve() {
    EngineAgentMover toFiles = fileMover();
    hosts.vms.get("h1").put("old", VmState.RUNNING); // started before the cloud went to FILE
    hosts.vms.get("h1").put("new", VmState.RUNNING);
    hosts.fileMemory.add("new");

    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () -> toFiles.copyRequestFor(new CopyOrder("copy-1", "old", "h1", "h3", true)));
    StandingCopyRequest old =
        toFiles.copyRequestFor(new CopyOrder("copy-1", "old", "h1", "h3", false));
    StandingCopyRequest neu =
        toFiles.copyRequestFor(new CopyOrder("copy-2", "new", "h1", "h3", true));

    assertTrue(refused.getMessage().contains("not a file on h1"), refused.getMessage());
    assertEquals(StandbyMemory.RAM, old.standbyMemory(), "ordered in RAM: a RAM standby");
    assertEquals(StandbyMemory.FILE, neu.standbyMemory());
    assertEquals(
        List.of("migratableXml old on h1", "migratableXml new on h1"),
        hosts.calls,
        "read on the source, and only when a file is ordered");
    assertEquals("h3", old.backup());
  }

  @Test
  void theEstimateIsThePlannersSetUpPlusRamOverTheLinkShareAndGrowsWithSharing() {
    // 25 MiB/s at 75 % efficiency: 256 MiB take 13.65 s, plus 0.5 s of set-up
    Duration alone = mover.estimate("h1", "h2", 256, 1);
    Duration shared = mover.estimate("h1", "h2", 256, 2);

    assertEquals(14_150, alone.toMillis(), 50);
    assertEquals(27_800, shared.toMillis(), 50);
    assertEquals(Duration.ZERO, mover.estimate("h1", null, 256, 1), "no destination: unknown");
  }

  @Test
  void locateFindsTheRunningCopyAndSkipsUnreachableHosts() {
    hosts.unreachable.add("h1");
    hosts.vms.get("h2").put("agent-1", VmState.RUNNING);

    assertEquals(Optional.of("h2"), mover.locate("agent-1"));
    assertEquals(Optional.empty(), mover.locate("agent-2"));
  }

  @Test
  void aMoveTheEngineRefusesEndsWhereTheVmReallyRuns() throws Exception {
    hosts.vms.get("h3").put("agent-1", VmState.RUNNING);
    MoveOrder o = new MoveOrder("m1", "agent-1", "h1", "h2", deadline, true);

    mover.start(o);
    MoveStatus s = mover.status("m1");
    for (int i = 0; i < 500 && s instanceof MoveStatus.InFlight; i++) {
      Thread.sleep(10);
      s = mover.status("m1");
    }

    MoveStatus.Ended e = assertInstanceOf(MoveStatus.Ended.class, s);
    assertEquals(Optional.of("h3"), e.runningOn());
    assertTrue(e.detail().contains("refused"), e.detail());
  }

  @Test
  void attachAfterARestartIsTheEnginesRecoveryAndKeepsOneCopy() {
    hosts.vms.get("h2").put("agent-1", VmState.RUNNING);
    hosts.vms.get("h1").put("agent-1", VmState.PAUSED);

    MoveStatus s = mover.attach(new MoveOrder("m9", "agent-1", "h1", "h2", deadline, false));

    MoveStatus.Ended e = assertInstanceOf(MoveStatus.Ended.class, s);
    assertEquals(Optional.of("h2"), e.runningOn(), e.detail());
    assertEquals(
        List.of("h2"),
        hosts.vms.entrySet().stream()
            .filter(x -> x.getValue().containsKey("agent-1"))
            .map(java.util.Map.Entry::getKey)
            .toList(),
        "exactly one copy");
  }

  @Test
  void aMigrationLibvirtStillRunsAtAttachIsFollowedToWhereItEndsNotReportedEndedNowhere()
      throws Exception {
    hosts.vms.get("h1").put("agent-1", VmState.RUNNING);
    hosts.vms.get("h2").put("agent-1", VmState.PAUSED);
    hosts.jobs.add("agent-1@h1"); // the killed controller's migration, still run by libvirt
    MoveOrder o = new MoveOrder("m9", "agent-1", "h1", "h2", deadline, true);

    assertInstanceOf(MoveStatus.InFlight.class, mover.attach(o));
    assertInstanceOf(
        MoveStatus.InFlight.class, mover.status("m9"), "followed while libvirt still moves it");

    hosts.jobs.clear(); // libvirt switched over: the VM runs on h2, nothing is left on h1
    hosts.vms.get("h1").remove("agent-1");
    hosts.vms.get("h2").put("agent-1", VmState.RUNNING);
    MoveStatus s = mover.status("m9");
    for (int i = 0; i < 500 && s instanceof MoveStatus.InFlight; i++) {
      Thread.sleep(10);
      s = mover.status("m9");
    }

    MoveStatus.Ended e = assertInstanceOf(MoveStatus.Ended.class, s);
    assertEquals(Optional.of("h2"), e.runningOn(), e.detail());
  }

  @Test
  void aMigrationNoEngineCanTakeOverIsAbortedOnItsSourceBeforeTheDeadline() throws Exception {
    hosts.vms.get("h1").put("agent-1", VmState.RUNNING);
    hosts.vms.get("h2").put("agent-1", VmState.PAUSED);
    hosts.jobs.add("agent-1@h1"); // the killed controller's migration, still run by libvirt
    hosts.unreachable.add("h2"); // the source reaches the destination, this controller does not
    Instant soon = Instant.now().plusSeconds(2); // inside the engine's safety margin
    MoveOrder o = new MoveOrder("m10", "agent-1", "h1", "h2", soon, false);

    MoveStatus s = mover.attach(o);
    for (int i = 0; i < 300 && hosts.jobs.contains("agent-1@h1"); i++) {
      Thread.sleep(10);
      s = mover.status("m10");
    }

    assertTrue(
        hosts.calls.contains("abortJob agent-1 on h1"),
        "a job nobody watches is aborted by its deadline: " + hosts.calls + ", " + s);
    assertTrue(Instant.now().isBefore(soon), "aborted before the deadline");
  }

  @Test
  void anOutcomeMapsToWhereTheVmRuns() {
    MigrationOutcome ok =
        new MigrationOutcome(
            "agent-1",
            Optional.of("h2"),
            true,
            Optional.empty(),
            "ok",
            Duration.ofSeconds(12),
            Duration.ofMillis(80),
            1L << 28,
            1L << 20,
            3,
            false,
            null,
            Tuning.PRE_COPY,
            0);

    MoveStatus.Ended e = EngineAgentMover.ended(ok);

    assertEquals(Optional.of("h2"), e.runningOn());
    assertTrue(e.detail().contains("downtime 80 ms"), e.detail());
    assertEquals(Duration.ofSeconds(12), e.took(), "the journal and the dashboard get the time");
    assertEquals(Duration.ofMillis(80), e.paused(), "and the pause");
  }

  @Test
  void aStrayStandbyIsRemovedOnlyWhenTheVmRunsWhereTheCallerSays() {
    hosts.vms.get("h1").put("agent-1", VmState.RUNNING);
    hosts.vms.get("h2").put("agent-1", VmState.PAUSED);

    mover.clearStandbys("agent-1", "h2"); // it does not run there: nothing is touched
    assertTrue(hosts.vms.get("h2").containsKey("agent-1"));

    mover.clearStandbys("agent-1", "h1");
    assertFalse(hosts.vms.get("h2").containsKey("agent-1"), "the paused incoming copy is gone");
    assertEquals(VmState.RUNNING, hosts.vms.get("h1").get("agent-1"), "the VM is untouched");
    assertTrue(hosts.calls.contains("remove agent-1 on h2"), hosts.calls.toString());

    hosts.vms.get("h3").put("agent-1", VmState.PAUSED);
    mover.clearStandbys("agent-1", null); // the agent is gone: every copy not running goes
    assertFalse(hosts.vms.get("h3").containsKey("agent-1"));
    assertEquals(VmState.RUNNING, hosts.vms.get("h1").get("agent-1"));
  }

  @Test
  void atARestartEveryHostIsReadOnceToLocateAllAgentsAndOnceToFindTheirStandbys() {
    List<String> agents = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      agents.add("agent-" + i);
      hosts.vms.get(i % 2 == 0 ? "h1" : "h2").put("agent-" + i, VmState.RUNNING);
    }
    hosts.vms.get("h3").put("agent-1", VmState.PAUSED); // a standby of agent-1 (runs on h2)
    hosts.vms.get("h3").put("agent-4", VmState.PAUSED); // and of agent-4 (runs on h1)
    hosts.unreachable.add("h3");

    Map<String, Optional<String>> where = mover.locateAll(agents);

    assertEquals(Optional.of("h1"), where.get("agent-0"));
    assertEquals(Optional.of("h2"), where.get("agent-1"));
    assertEquals(10, where.size());
    assertEquals(Map.of("h1", 1, "h2", 1, "h3", 1), hosts.connections, "one connection a host");

    hosts.unreachable.clear();
    hosts.connections.clear();
    Map<String, Optional<String>> sweep = new LinkedHashMap<>(where);
    sweep.put("agent-4", Optional.empty()); // gone: every copy not running goes
    mover.clearStandbys(sweep);

    assertFalse(hosts.vms.get("h3").containsKey("agent-1"), "agent-1's standby is gone");
    assertFalse(hosts.vms.get("h3").containsKey("agent-4"), "agent-4's too");
    assertEquals(VmState.RUNNING, hosts.vms.get("h2").get("agent-1"), "the VMs are untouched");
    assertEquals(VmState.RUNNING, hosts.vms.get("h1").get("agent-4"));
    assertEquals(
        Map.of("h1", 1, "h2", 2, "h3", 2),
        hosts.connections,
        "one read a host, then agent-1's job aborted on h2 and both standbys removed on h3 at once");
  }

  @Test
  void theStandingStreamIsAbortedOnTheSourceBeforeItsStandbyIsRemovedWhicheverHostComesFirst() {
    hosts.vms.get("h3").put("agent-1", VmState.RUNNING); // the source comes last in the list
    hosts.vms.get("h1").put("agent-1", VmState.PAUSED); // its standby first

    mover.clearStandbys(Map.of("agent-1", Optional.of("h3")));

    assertEquals(List.of("abortJob agent-1 on h3", "remove agent-1 on h1"), hosts.calls);
  }

  @Test
  void stoppingACopyThisMoverDoesNotHoldCleansTheBackup() {
    hosts.vms.get("h1").put("agent-1", VmState.RUNNING);
    hosts.vms.get("h3").put("agent-1", VmState.PAUSED);

    mover.stopCopy(new CopyOrder("copy-1", "agent-1", "h1", "h3"));

    assertFalse(hosts.vms.get("h3").containsKey("agent-1"));
    assertInstanceOf(
        CopyStatus.Ended.class, mover.copyStatus(new CopyOrder("copy-1", "agent-1", "h1", "h3")));
  }

  @Test
  void aCopyTheEngineRefusesEndsWhereTheVmRunsAndAnUnknownCopyCannotBeFlushed() throws Exception {
    hosts.vms.get("h3").put("agent-1", VmState.RUNNING);
    CopyOrder c = new CopyOrder("copy-1", "agent-1", "h1", "h2");

    mover.startCopy(c); // the VM does not run on h1: the engine refuses it
    CopyStatus s = mover.copyStatus(c);
    for (int i = 0; i < 500 && s instanceof CopyStatus.Standing; i++) {
      Thread.sleep(10);
      s = mover.copyStatus(c);
    }

    CopyStatus.Ended e = assertInstanceOf(CopyStatus.Ended.class, s);
    assertEquals(Optional.of("h3"), e.runningOn(), e.detail());
    assertThrows(
        IllegalStateException.class,
        () -> mover.flushCopy(c, new MoveOrder("m1", "agent-1", "h1", "h2", deadline, true)));
  }

  @Test
  void anEndedMoveIsKeptUntilTheOrchestratorForgetsItThenDropped() throws Exception {
    List<String> ids = List.of("m1", "m2", "m3");
    for (int i = 0; i < ids.size(); i++) { // each VM runs on h3, not on h1: the engine refuses
      hosts.vms.get("h3").put("agent-" + i, VmState.RUNNING);
      mover.start(new MoveOrder(ids.get(i), "agent-" + i, "h1", "h2", deadline, true));
    }
    List<MoveStatus.Ended> ends = new ArrayList<>();
    for (String id : ids) {
      ends.add(endOf(id));
    }
    assertEquals(3, mover.followed(), "an end read but not yet journaled is kept");
    for (int i = 0; i < ids.size(); i++) {
      assertEquals(ends.get(i), mover.status(ids.get(i)), "read again, the same end");
    }

    ids.forEach(mover::forget);

    assertEquals(0, mover.followed(), "every ended move the orchestrator journaled is dropped");
    MoveStatus.Ended unknown = assertInstanceOf(MoveStatus.Ended.class, mover.status("m1"));
    assertTrue(unknown.detail().startsWith("unknown move"), unknown.detail());
  }

  @Test
  void aMoveStillInFlightIsNotForgotten() {
    hosts.vms.get("h1").put("agent-1", VmState.RUNNING);
    hosts.vms.get("h2").put("agent-1", VmState.PAUSED);
    hosts.jobs.add("agent-1@h1"); // libvirt still moves it: followed after attach
    MoveOrder o = new MoveOrder("m9", "agent-1", "h1", "h2", deadline, true);
    assertInstanceOf(MoveStatus.InFlight.class, mover.attach(o));

    mover.forget("m9");

    assertEquals(1, mover.followed());
    assertInstanceOf(MoveStatus.InFlight.class, mover.status("m9"));
  }

  private MoveStatus.Ended endOf(String moveId) throws InterruptedException {
    MoveStatus s = mover.status(moveId);
    for (int i = 0; i < 500 && s instanceof MoveStatus.InFlight; i++) {
      Thread.sleep(10);
      s = mover.status(moveId);
    }
    return assertInstanceOf(MoveStatus.Ended.class, s);
  }
}
