package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The standing copy's decisions on fake hosts: it stands until a notice, a flush raises the
 * downtime limit (or switches to post-copy where allowed) so the VM runs on the backup, a stream
 * that converged on its own is a finished move, a broken stream or a missed flush deadline leaves
 * the VM on the source and nothing on the backup.
 */
class StandingCopyTest {

  final FakeCluster cluster = new FakeCluster("a", "b");
  final FakeHypervisor a = cluster.host("a");
  final FakeHypervisor b = cluster.host("b");
  final TestClock clock = new TestClock();
  final MigrationEngine engine = cluster.engine(clock, Duration.ofSeconds(2));

  @AfterEach
  void release() {
    cluster.releaseAll();
  }

  static StandingCopyRequest request(String vm, MigrationSettings s) {
    return new StandingCopyRequest(
        vm, "a", "b", 100L << 20, s.withPollInterval(Duration.ofMillis(10)));
  }

  StandingCopyHandle standing(String vm, MigrationSettings s) throws Exception {
    StandingCopyHandle h = engine.keepStandingCopy(request(vm, s), MigrationListener.NONE);
    long until = System.nanoTime() + 5_000_000_000L;
    while ((h.state() != StandingCopyHandle.State.STANDING
            || h.lastProgress().map(p -> p.iteration() < 5).orElse(true))
        && System.nanoTime() < until
        && !h.outcome().isDone()) {
      Thread.sleep(5);
    }
    return h;
  }

  void assertOnSourceOnly(String vm) {
    assertEquals(VmState.RUNNING, a.state(vm));
    assertEquals(VmState.ABSENT, b.state(vm));
    assertFalse(b.hasVolume(vm + ".qcow2"), "nothing left on the backup");
  }

  @Test
  void
      the_stream_stands_with_a_1_ms_limit_and_no_auto_converge_until_a_flush_moves_the_vm_to_the_backup()
          throws Exception {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.STANDS;
    StandingCopyHandle h = standing("vm", MigrationSettings.defaults());
    assertEquals(StandingCopyHandle.State.STANDING, h.state());
    Thread.sleep(200);
    assertFalse(h.outcome().isDone(), "a standing copy does not complete on its own");
    assertFalse(
        a.migrateSettings.get("vm").autoConverge(), "auto-converge would force a switch-over");
    assertTrue(a.downtimes.stream().allMatch("vm=1"::equals), a.downtimes.toString());
    assertTrue(b.hasVolume("vm.qcow2"), "the overlay is mirrored to the backup");
    assertTrue(h.averageBytesPerSecond() > 0 && h.recentBytesPerSecond() > 0);

    MigrationOutcome out =
        h.flush(clock.instant().plus(Duration.ofSeconds(30))).get(10, TimeUnit.SECONDS);

    assertTrue(out.success(), out.toString());
    assertEquals(Optional.of("b"), out.runningOn());
    assertEquals(VmState.RUNNING, b.state("vm"));
    assertEquals(VmState.ABSENT, a.state("vm"));
    // the fake's stream: 64 MiB pending at 10 MiB/s = 6.4 s pause, limit raised to twice that
    assertEquals("vm=12800", a.downtimes.get(a.downtimes.size() - 1), a.downtimes.toString());
    assertTrue(out.message().contains("flushed the standing copy"), out.message());
    assertFalse(a.called("startPostCopy", "vm"));
    assertEquals(StandingCopyHandle.State.ENDED, h.state());
    assertSame(
        out,
        h.flush(clock.instant()).get(1, TimeUnit.SECONDS),
        "a second flush has the same outcome");
  }

  @Test
  void a_standing_copy_reads_the_dirty_rate_for_the_least_time_before_its_stream_starts()
      throws Exception {
    // the stream protects nothing until it runs, and its plan decides nothing (a notice's flush is
    // planned from the stream's own figures): CI, StandingCopyFleetLabTest, with a working set read
    // up to eight times, the stream started 51 s into its 60 s of standing and its flush was
    // refused
    a.running("vm").behaviour = FakeHypervisor.Behaviour.STANDS;
    StandingCopyHandle h = standing("vm", MigrationSettings.defaults());

    assertEquals(StandingCopyHandle.State.STANDING, h.state());
    assertEquals(DirtyRateMeter.LEAST, a.longestMeasure);
  }

  @Test
  void a_stream_that_converged_on_its_own_is_a_finished_move_to_the_backup() throws Exception {
    a.running("idle").behaviour = FakeHypervisor.Behaviour.COMPLETES;
    StandingCopyHandle h =
        engine.keepStandingCopy(
            request("idle", MigrationSettings.defaults()), MigrationListener.NONE);

    MigrationOutcome out = h.outcome().get(10, TimeUnit.SECONDS);

    assertTrue(out.success(), out.toString());
    assertEquals(Optional.of("b"), out.runningOn());
    assertTrue(out.message().contains("converged on its own"), out.message());
    assertEquals(VmState.RUNNING, b.state("idle"));
    assertEquals(VmState.ABSENT, a.state("idle"));
    assertEquals(
        out, h.flush(clock.instant().plus(Duration.ofSeconds(5))).get(1, TimeUnit.SECONDS));
  }

  @Test
  void a_stream_that_broke_leaves_the_vm_on_the_source_and_nothing_on_the_backup()
      throws Exception {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.SCRIPTED;
    a.script =
        vm -> {
          try {
            Thread.sleep(150);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          b.remove(vm);
          throw new MigrationException(
              FailureKind.HYPERVISOR_ERROR, "Unable to read from monitor: Connection reset");
        };
    StandingCopyHandle h =
        engine.keepStandingCopy(
            request("vm", MigrationSettings.defaults()), MigrationListener.NONE);

    MigrationOutcome out = h.outcome().get(10, TimeUnit.SECONDS);

    assertFalse(out.success(), out.toString());
    assertEquals(Optional.of("a"), out.runningOn());
    assertEquals(FailureKind.HYPERVISOR_ERROR, out.failure().orElseThrow());
    assertTrue(out.message().contains("standing stream broke"), out.message());
    assertOnSourceOnly("vm");
  }

  @Test
  void
      a_flush_whose_pause_cannot_fit_its_budget_is_refused_up_front_and_the_vm_stays_on_the_source()
          throws Exception {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.STANDS;
    // QEMU switches over as soon as the limit reaches 1 s: a limit raised to the budget would start
    // the whole 6.4 s pause (64 MiB at 10 MiB/s), which no abort can cut short
    StandingCopyHandle h = standing("vm", MigrationSettings.defaults());
    // 6 s to the deadline (this engine keeps no margin): a budget of 80% of that, under 4.8 s
    Instant deadline = clock.instant().plus(Duration.ofSeconds(6));

    MigrationOutcome out = h.flush(deadline).get(10, TimeUnit.SECONDS);

    assertFalse(out.success(), out.toString());
    assertEquals(FailureKind.PLAN_MISSES_DEADLINE, out.failure().orElseThrow(), out.toString());
    assertEquals(Optional.of("a"), out.runningOn());
    assertTrue(out.message().contains("need a pause of 6400 ms, budget 47"), out.message());
    assertTrue(out.message().contains("refused up front"), out.message());
    assertTrue(
        a.downtimes.stream().allMatch("vm=1"::equals),
        "the downtime limit was raised: " + a.downtimes);
    assertTrue(a.called("abortJob", "vm"), "the standing stream is cancelled");
    assertTrue(clock.instant().isBefore(deadline), "refused before the deadline");
    assertOnSourceOnly("vm");
  }

  @Test
  void a_flush_qemu_does_not_switch_over_gets_a_shrinking_limit_and_is_aborted_at_its_deadline()
      throws Exception {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.STANDS;
    a.switchesOverAt = Duration.ofHours(1); // the pending pages never fit: QEMU never switches over
    StandingCopyHandle h = standing("vm", MigrationSettings.defaults());
    Instant deadline = clock.instant().plus(Duration.ofSeconds(30));

    // the engine's clock runs 500 ms on every 10 ms from the moment the flush has not ended in 300
    MigrationOutcome out = clock.awaitMovingOn(h.flush(deadline), Duration.ofMillis(300));

    assertFalse(out.success(), out.toString());
    assertEquals(FailureKind.DEADLINE_EXCEEDED, out.failure().orElseThrow(), out.toString());
    assertEquals(Optional.of("a"), out.runningOn());
    assertTrue(a.called("abortJob", "vm"));
    List<Long> raised =
        a.downtimes.stream()
            .map(d -> Long.parseLong(d.substring(d.indexOf('=') + 1)))
            .dropWhile(ms -> ms == 1)
            .toList();
    assertEquals(12800L, raised.get(0), "the flush's limit: twice the 6.4 s pause");
    for (int i = 1; i < raised.size(); i++) {
      assertTrue(raised.get(i) < raised.get(i - 1), "lowered step by step: " + raised);
    }
    // a switch-over started at the last limit would have ended well before the deadline, so the
    // abort there could land
    assertTrue(raised.get(raised.size() - 1) <= 1000, "the last limit: " + raised);
    assertOnSourceOnly("vm");
  }

  @Test
  void a_flush_whose_pause_does_not_fit_switches_to_post_copy_where_the_policy_allows()
      throws Exception {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.STANDS;
    a.switchesOverAt = Duration.ofHours(1);
    StandingCopyHandle h =
        standing("vm", MigrationSettings.defaults().withPostCopy(PostCopyPolicy.whenNeeded()));
    assertTrue(
        a.migrateSettings.get("vm").postCopy().allowed(), "the stream is started able to switch");

    MigrationOutcome out =
        h.flush(clock.instant().plus(Duration.ofSeconds(2))).get(10, TimeUnit.SECONDS);

    assertTrue(out.success(), out.toString());
    assertTrue(out.postCopy(), out.toString());
    assertTrue(a.called("startPostCopy", "vm"));
    assertEquals(VmState.RUNNING, b.state("vm"));
    assertEquals(VmState.ABSENT, a.state("vm"));
  }

  @Test
  void a_stop_aborts_the_stream_and_removes_the_backup_copy() throws Exception {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.STANDS;
    StandingCopyHandle h = standing("vm", MigrationSettings.defaults());

    MigrationOutcome out = h.stop().get(10, TimeUnit.SECONDS);

    assertFalse(out.success());
    assertEquals(FailureKind.CANCELLED, out.failure().orElseThrow(), out.toString());
    assertOnSourceOnly("vm");
  }

  @Test
  void a_vm_with_a_standing_copy_is_not_moved_twice_at_once() throws Exception {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.STANDS;
    StandingCopyHandle h = standing("vm", MigrationSettings.defaults());
    MigrationException e =
        assertThrows(
            MigrationException.class,
            () ->
                engine.start(
                    MigrationEngineTest.request("vm", clock.instant().plus(Duration.ofMinutes(1))),
                    MigrationListener.NONE));
    assertTrue(e.getMessage().contains("vm"), e.getMessage());
    h.stop().get(10, TimeUnit.SECONDS);
  }

  @Test
  void flush_choice_covers_the_expected_pause_within_the_budget() {
    MigrationSettings s = MigrationSettings.defaults();
    // 16 MiB at 8 MiB/s: a 2 s pause, limit 4 s, well inside 80% of 30 s
    FlushChoice fits = FlushChoice.choose(16L << 20, 8L << 20, Duration.ofSeconds(30), s);
    assertTrue(fits.fits());
    assertFalse(fits.postCopyNow());
    assertEquals(Duration.ofSeconds(2), fits.expectedPause());
    assertEquals(Duration.ofSeconds(4), fits.downtime());
    // twice the pause would pass the budget: capped at it
    FlushChoice capped = FlushChoice.choose(16L << 20, 8L << 20, Duration.ofSeconds(3), s);
    assertTrue(capped.fits());
    assertEquals(Duration.ofMillis(2400), capped.downtime());
    // a tiny pause still gets the caller's floor
    assertEquals(
        Duration.ofMillis(300),
        FlushChoice.choose(4096, 8L << 20, Duration.ofSeconds(30), s).downtime());
    // ... but never past the budget: a pause longer than the time left cannot be aborted
    assertEquals(
        Duration.ofMillis(240),
        FlushChoice.choose(4096, 8L << 20, Duration.ofMillis(300), s).downtime());
    // the pause does not fit: post-copy where allowed, else refused with the limit left alone
    FlushChoice noPc = FlushChoice.choose(64L << 20, 8L << 20, Duration.ofSeconds(5), s);
    assertFalse(noPc.fits());
    assertTrue(noPc.refused());
    assertFalse(noPc.postCopyNow());
    assertEquals(Duration.ZERO, noPc.downtime());
    FlushChoice pc =
        FlushChoice.choose(
            64L << 20,
            8L << 20,
            Duration.ofSeconds(5),
            s.withPostCopy(PostCopyPolicy.whenNeeded()));
    assertTrue(pc.fits());
    assertFalse(pc.refused());
    assertTrue(pc.postCopyNow());
    // no rate measured yet: the pause cannot be bounded, so refused (or post-copy where allowed)
    FlushChoice unknown = FlushChoice.choose(1L << 20, 0, Duration.ofSeconds(10), s);
    assertTrue(unknown.refused());
    assertEquals(Duration.ZERO, unknown.downtime());
    assertTrue(
        FlushChoice.choose(
                1L << 20, 0, Duration.ofSeconds(10), s.withPostCopy(PostCopyPolicy.whenNeeded()))
            .postCopyNow());
  }

  @Test
  void
      file_backed_standby_memory_reaches_the_backup_as_the_destination_xml_and_nothing_else_changes()
          throws Exception {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.STANDS;
    a.vm("vm").fileMemory = true;
    StandingCopyHandle h =
        engine.keepStandingCopy(
            request("vm", MigrationSettings.defaults()).withStandbyMemory(StandbyMemory.FILE),
            MigrationListener.NONE);
    awaitStanding(h);

    String sent = a.destinationXmls.get("vm");
    org.w3c.dom.Document dest = DomainXmlTest.parse(sent);
    assertEquals("1", DomainXmlTest.at(dest, "count(/domain/memoryBacking)"));
    assertEquals("file", DomainXmlTest.at(dest, "/domain/memoryBacking/source/@type"));
    assertEquals("shared", DomainXmlTest.at(dest, "/domain/memoryBacking/access/@mode"));
    assertEquals("2", DomainXmlTest.at(dest, "count(/domain/memoryBacking/*)"));
    org.w3c.dom.Node access = dest.getDocumentElement().getElementsByTagName("access").item(0);
    access.getParentNode().removeChild(access);
    assertTrue(
        DomainXmlTest.parse(a.migratableXml("vm")).isEqualNode(dest),
        "the rest of the source's definition unchanged: " + sent);

    MigrationOutcome out =
        h.flush(clock.instant().plus(Duration.ofSeconds(30))).get(10, TimeUnit.SECONDS);
    assertTrue(out.success(), out.toString());
    assertEquals(Optional.of("b"), out.runningOn());
  }

  @Test
  void a_standby_held_in_ram_by_default_sends_no_destination_xml() throws Exception {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.STANDS;
    assertEquals(StandbyMemory.RAM, request("vm", MigrationSettings.defaults()).standbyMemory());
    StandingCopyHandle h = standing("vm", MigrationSettings.defaults());
    assertEquals(FakeHypervisor.NO_DESTINATION_XML, a.destinationXmls.get("vm"));
    assertFalse(a.called("migratableXml", "vm"));
    h.stop().get(10, TimeUnit.SECONDS);
    assertOnSourceOnly("vm");
  }

  @Test
  void a_file_standby_of_a_vm_in_anonymous_ram_is_refused_before_the_stream_starts()
      throws Exception {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.STANDS;
    StandingCopyHandle h =
        engine.keepStandingCopy(
            request("vm", MigrationSettings.defaults()).withStandbyMemory(StandbyMemory.FILE),
            MigrationListener.NONE);
    MigrationOutcome out = h.outcome().get(10, TimeUnit.SECONDS);
    assertFalse(out.success(), out.toString());
    assertTrue(out.message().contains("anonymous RAM"), out.message());
    assertFalse(a.migrateSettings.containsKey("vm"), "no stream started");
    assertOnSourceOnly("vm");
  }

  @Test
  void a_source_that_cannot_describe_the_vm_leaves_it_there_and_nothing_on_the_backup()
      throws Exception {
    a.running("vm").behaviour = FakeHypervisor.Behaviour.STANDS;
    a.describeFailure = new MigrationException(FailureKind.HYPERVISOR_ERROR, "no XML (fake)");
    StandingCopyHandle h =
        engine.keepStandingCopy(
            request("vm", MigrationSettings.defaults()).withStandbyMemory(StandbyMemory.FILE),
            MigrationListener.NONE);
    MigrationOutcome out = h.outcome().get(10, TimeUnit.SECONDS);
    assertFalse(out.success(), out.toString());
    assertTrue(out.message().contains("no XML (fake)"), out.message());
    assertFalse(a.migrateSettings.containsKey("vm"), "no stream started");
    assertOnSourceOnly("vm");
  }

  @Test
  void a_file_standby_is_possible_only_for_a_vm_whose_ram_is_a_file_on_its_source() {
    a.running("anon");
    a.running("filed");
    a.vm("filed").fileMemory = true;

    assertEquals(StandbyMemory.FILE, engine.standbyMemoryFor("a", "filed", StandbyMemory.FILE));
    assertEquals(StandbyMemory.RAM, engine.standbyMemoryFor("a", "anon", StandbyMemory.FILE));
    assertEquals(StandbyMemory.RAM, engine.standbyMemoryFor("a", "filed", StandbyMemory.RAM));
  }

  @Test
  void a_ram_standby_is_decided_without_asking_the_source() {
    a.running("vm");
    a.describeFailure = new MigrationException(FailureKind.HYPERVISOR_ERROR, "no XML (fake)");

    assertEquals(StandbyMemory.RAM, engine.standbyMemoryFor("a", "vm", StandbyMemory.RAM));
    assertFalse(a.called("migratableXml", "vm"));
    MigrationException e =
        assertThrows(
            MigrationException.class,
            () -> engine.standbyMemoryFor("a", "vm", StandbyMemory.FILE),
            "a source that cannot tell is no decision");
    assertTrue(e.getMessage().contains("no XML (fake)"), e.getMessage());
  }

  private static void awaitStanding(StandingCopyHandle h) throws InterruptedException {
    long until = System.nanoTime() + 5_000_000_000L;
    while ((h.state() != StandingCopyHandle.State.STANDING
            || h.lastProgress().map(p -> p.iteration() < 5).orElse(true))
        && System.nanoTime() < until
        && !h.outcome().isDone()) {
      Thread.sleep(5);
    }
    assertEquals(StandingCopyHandle.State.STANDING, h.state(), () -> "" + h.outcome().getNow(null));
  }
}
