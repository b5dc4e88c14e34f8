package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.testbed.LinkShape;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The engine's guarantees under faults on the lab: the VM runs in exactly one place, nothing of it
 * is left elsewhere, and the caller's deadline is kept. Each test has a lab of its own (hosts are
 * killed and links cut).
 */
@Tag("lab")
class MigrationFaultLabTest {

  @RegisterExtension final LabFixture lab = new LabFixture(1024);

  /** A guest started on hosta and its build's connection to the controller. */
  private record Guest(AgentVmSpec vm, int conn) {
    String name() {
      return vm.name();
    }
  }

  /**
   * Starts the named guests on hosta, each with {@code memoryMib} of RAM whose build dirties {@code
   * dirtyMibPerSecond} over a working set of {@code workingSetMib}, then waits until each build has
   * made {@code steps} steps.
   */
  private List<Guest> guests(
      long memoryMib, int dirtyMibPerSecond, int workingSetMib, long steps, String... names) {
    List<AgentVmSpec> started = new ArrayList<>();
    for (String name : names) {
      started.add(lab.startGuest(name, memoryMib, dirtyMibPerSecond, workingSetMib));
    }
    List<Guest> running = new ArrayList<>();
    for (AgentVmSpec vm : started) {
      int conn = lab.connectionOf(vm.name());
      lab.awaitStep(conn, steps);
      running.add(new Guest(vm, conn));
    }
    return running;
  }

  /** A busy 256 MiB guest (32 MiB/s dirtied over 64 MiB) whose build has made {@code steps}. */
  private Guest busyGuest(String name, long steps) {
    return guests(256, 32, 64, steps, name).get(0);
  }

  /** A move of {@code vm} from hosta to hostb over a link of 100 MiB/s. */
  private static MigrationRequest toHostb(
      String vm, Instant deadline, MigrationSettings settings, boolean refuseInfeasible) {
    return new MigrationRequest(
        vm, "hosta", "hostb", 100L << 20, deadline, settings, refuseInfeasible);
  }

  /**
   * Starts a slow copy of {@code vm} to hostb (4 MiB/s and no auto-converge: for a busy 256 MiB
   * guest a minute or more) and waits at most {@code startSeconds} until it has sent 8 MiB.
   */
  private static MigrationHandle slowCopy(
      MigrationEngine engine, String vm, Instant deadline, int startSeconds)
      throws InterruptedException {
    MigrationSettings slow =
        MigrationSettings.defaults().withBandwidthMiBps(4).withAutoConverge(false);
    CountDownLatch copying = new CountDownLatch(1);
    MigrationHandle h =
        engine.start(
            toHostb(vm, deadline, slow, false),
            new MigrationListener() {
              @Override
              public void onProgress(MigrationProgress p) {
                if (p.memoryProcessed() > 8L << 20) {
                  copying.countDown();
                }
              }
            });
    assertTrue(copying.await(startSeconds, TimeUnit.SECONDS), "the copy never got going");
    return h;
  }

  /** The outcomes of two moves started at once, and the running copies counted meanwhile. */
  private record TwoMoves(MigrationOutcome first, MigrationOutcome second, RunningCopies copies) {}

  /** Moves both guests to hostb at once (default settings, 240 s) and waits for both outcomes. */
  private static TwoMoves moveBoth(MigrationEngine engine, Guest one, Guest two) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(240));
    RunningCopies copies =
        new RunningCopies(engine, List.of("hosta", "hostb"), one.name(), two.name());
    MigrationHandle h1 =
        engine.start(
            toHostb(one.name(), deadline, MigrationSettings.defaults(), false),
            MigrationListener.NONE);
    MigrationHandle h2 =
        engine.start(
            toHostb(two.name(), deadline, MigrationSettings.defaults(), false),
            MigrationListener.NONE);
    MigrationOutcome o1 = h1.outcome().get(240, TimeUnit.SECONDS);
    MigrationOutcome o2 = h2.outcome().get(240, TimeUnit.SECONDS);
    copies.close();
    return new TwoMoves(o1, o2, copies);
  }

  @Test
  void a_source_host_lost_during_the_copy_is_reported_as_the_vm_lost_with_its_host()
      throws Exception {
    Guest vm = busyGuest("agent-srclost", 2);
    MigrationEngine engine = lab.engine();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    MigrationHandle h = slowCopy(engine, vm.name(), deadline, 60);
    RunningCopies copies = new RunningCopies(engine, List.of("hosta", "hostb"), vm.name());

    lab.testbed.killHost(lab.testbed.host(1)); // the reclamation: its daemon and the VM's QEMU die
    MigrationOutcome out = h.outcome().get(150, TimeUnit.SECONDS);
    Instant ended = Instant.now();
    copies.close();

    System.out.println("[srclost] " + out);
    assertFalse(out.success(), out.toString());
    assertEquals(Optional.of(FailureKind.HOST_FAILED), out.failure(), out.toString());
    assertEquals(Optional.empty(), out.runningOn(), out.toString());
    assertTrue(out.message().contains("lost with its source host hosta"), out.message());
    assertTrue(ended.isBefore(deadline), "the outcome came after the deadline: " + ended);
    assertTrue(copies.most(vm.name()) <= 1, "running copies at once: " + copies.most(vm.name()));
    lab.assertNothingOf(2, vm.name());
  }

  @Test
  void a_link_cut_during_pre_copy_is_aborted_by_the_deadline_and_the_vm_stays_on_the_source()
      throws Exception {
    Guest vm = busyGuest("agent-linkcut", 2);
    int conn = vm.conn();
    MigrationEngine engine = lab.engine();
    // 45 s for the caller, so the engine aborts at 40 s (its 5 s safety margin); the copy may take
    // up to 35 s to get going under TCG on a loaded machine (20 s was too short beside other
    // builds)
    Instant deadline = Instant.now().plus(Duration.ofSeconds(45));
    MigrationHandle h = slowCopy(engine, vm.name(), deadline, 35);
    RunningCopies copies = new RunningCopies(engine, List.of("hosta"), vm.name());
    lab.testbed.cutLink(lab.testbed.host(2));
    MigrationOutcome out;
    Instant ended;
    try {
      out = h.outcome().get(150, TimeUnit.SECONDS);
      ended = Instant.now();
    } finally {
      lab.testbed.restoreLink(lab.testbed.host(2));
      copies.close();
    }

    System.out.println(
        "[linkcut] "
            + out
            + "; returned "
            + Duration.between(deadline, ended).toMillis()
            + " ms after the caller's deadline");
    assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
    assertEquals(Optional.of("hosta"), out.runningOn(), out.toString());
    assertTrue(
        ended.isBefore(deadline),
        "the outcome came "
            + Duration.between(deadline, ended).toMillis()
            + " ms after the caller's deadline");
    assertEquals(1, copies.most(vm.name()), "the VM kept running on the source");
    try (Hypervisor a = engine.connect("hosta")) {
      assertEquals(VmState.RUNNING, a.state(vm.name()));
    }
    assertEquals(
        0,
        lab.awaitStep(conn, lab.lastStep(conn) + 2).wsBad(),
        "the build goes on, its workspace intact");
    assertTrue(out.message().contains("left to reconciliation"), out.message());
    // the link is back: once libvirt's call has ended, reconciliation (as the outcome says) leaves
    // nothing there
    awaitNothingOn(2, vm.name(), Duration.ofSeconds(150));
  }

  @Test
  void a_link_cut_for_5_s_mid_post_copy_does_not_lose_the_vm_it_completes_on_the_destination()
      throws Exception {
    PostCopyMove move = startPostCopyMove("agent-pcut", Duration.ofSeconds(180));
    Guest vm = move.vm();
    PostCopyPhases at = move.phases();
    Broken<Void> cut =
        breakAndAwait(
            move,
            () -> {
              lab.testbed.cutLink(lab.testbed.host(2));
              Thread.sleep(5000);
              return null;
            },
            () -> lab.testbed.restoreLink(lab.testbed.host(2)),
            150,
            () -> printLogTails(vm.name()));
    MigrationOutcome out = cut.out();
    long cutAt = cut.brokeAt();
    long restoredAt = cut.healedAt();
    long endedAt = cut.endedAt();

    long switchAt = at.switchAt();
    Figures steps = figures(move, endedAt);
    System.out.println(
        "[postcopy-cut] "
            + out
            + "; cut "
            + (cutAt - switchAt) / 1_000_000
            + " ms after the switch for "
            + (restoredAt - cutAt) / 1_000_000
            + " ms; resumed="
            + out.message().contains("resumed with libvirt's post-copy resume")
            + " broke_ms="
            + ms(at.brokeAt(), cutAt)
            + " (from the cut) resumed_ms="
            + ms(at.firstResumeAt(), restoredAt)
            + " (from the link's return) total_ms="
            + steps.totalMs()
            + " pause_ms="
            + steps.pauseMs()
            + " steps in 20 s before the move "
            + steps.before()
            + ", in 20 s after the switch "
            + steps.after()
            + ": steps_lost="
            + (steps.before() - steps.after()));
    assertPostCopyOnHostb(out);
    // a 5 s cut either rides on TCP's retransmissions or breaks the stream; then the engine
    // resumes it (the outcome's notes say which)
    assertFalse(out.message().contains("was not resumed"), "a broken post-copy stayed broken");
    assertOnlyOnHostbWithItsBuildWhole(move, endedAt);
  }

  /**
   * Issue 8 item 6 on the lab: the migration's TCP streams are reset at both ends mid post-copy and
   * refused for about 5 s (both QEMUs go to postcopy-paused within 1 s, libvirt reports post-copy
   * failed on both hosts), then let through again; the engine must resume the post-copy with
   * libvirt's post-copy resume and finish on the destination.
   */
  @org.junit.jupiter.api.Disabled(
      "open, not ours to fix here: the first post-copy resume never returns under TCG. gdb on"
          + " the destination QEMU 10.0 during the hang (2026-12-01): its vCPU thread holds the"
          + " BQL while delivering an interrupt (do_interrupt_all -> x86_cpu_tlb_fill) and waits"
          + " on a guest page the broken stream will never bring, so the main loop waits on the"
          + " BQL (main_loop_wait -> bql_lock) and libvirt 9.0's in-band migrate-recover in"
          + " MigratePrepare3 is never read; QEMU's own tests send migrate-recover out of band"
          + " (exec-oob), which libvirt 9.0 does not. The engine reports the VM split between"
          + " the hosts at the deadline, no longer 60 s after it (PostCopyDeadlineTest). libvirt 11.3"
          + " (bookworm-backports) was tried: its destination libvirtd segfaults in the resume's"
          + " prepare (docs/architecture.md)")
  @Test
  void a_post_copy_whose_streams_are_reset_pauses_on_both_hosts_and_is_resumed_when_they_return()
      throws Exception {
    // a resume that never succeeds ends at the deadline, with its errors in the outcome, within the
    // test's time limit
    PostCopyMove move = startPostCopyMove("agent-preset", Duration.ofSeconds(120));
    Guest vm = move.vm();
    MigrationEngine engine = move.engine();
    PostCopyPhases at = move.phases();
    Broken<ResetSeen> broken =
        breakAndAwait(
            move,
            () -> {
              int ends =
                  lab.testbed.breakMigrationStreams(lab.testbed.host(1), lab.testbed.host(2));
              System.out.println("[postcopy-reset] reset " + ends + " connection ends");
              long paused = awaitPostCopyPausedOnBoth(engine, vm.name(), Duration.ofSeconds(15));
              if (paused < 0) {
                printMigrationState(vm.name());
              }
              // broken a few seconds more: resume calls made meanwhile fail, as on a link still
              // down
              Thread.sleep(4000);
              return new ResetSeen(ends, paused);
            },
            () -> lab.testbed.healMigrationStreams(lab.testbed.host(1), lab.testbed.host(2)),
            100,
            () -> {
              printMigrationState(vm.name());
              printLogTails(vm.name());
            });
    MigrationOutcome out = broken.out();
    long brokeAt = broken.brokeAt();
    long healedAt = broken.healedAt();
    long endedAt = broken.endedAt();
    int reset = broken.seen().reset();
    long pausedAt = broken.seen().pausedAt();

    System.out.println("[postcopy-reset] outcome: " + out);
    if (!out.success()) {
      printMigrationState(vm.name());
      printLogTails(vm.name());
    }
    long switchAt = at.switchAt();
    Figures steps = figures(move, endedAt);
    System.out.println(
        "[postcopy-reset] "
            + out
            + "; broken "
            + (brokeAt - switchAt) / 1_000_000
            + " ms after the switch ("
            + reset
            + " connection ends reset), paused on both hosts after "
            + ms(pausedAt < 0 ? null : pausedAt, brokeAt)
            + " ms, healed after "
            + (healedAt - brokeAt) / 1_000_000
            + " ms; engine broke_ms="
            + ms(at.brokeAt(), brokeAt)
            + " (from the break) resumed_ms="
            + ms(at.lastResumeAt(), healedAt)
            + " (from the heal) completed_ms="
            + (endedAt - healedAt) / 1_000_000
            + " (from the heal) total_ms="
            + steps.totalMs()
            + " pause_ms="
            + steps.pauseMs()
            + " steps in 20 s before the move "
            + steps.before()
            + ", in 20 s after the switch "
            + steps.after());
    assertTrue(reset > 0, "no migration connection was reset");
    assertTrue(pausedAt > 0, "the post-copy did not pause on both hosts: the break was not real");
    assertPostCopyOnHostb(out);
    assertTrue(out.message().contains("resumed with libvirt's post-copy resume"), out.message());
    assertTrue(out.postCopyResumes() >= 1, "no post-copy resume in the outcome: " + out);
    assertOnlyOnHostbWithItsBuildWhole(move, endedAt);
  }

  /**
   * A busy guest's move to hostb that has switched to post-copy: its engine, handle and phase
   * times, and when it started (System.nanoTime).
   */
  private record PostCopyMove(
      Guest vm,
      MigrationEngine engine,
      MigrationHandle handle,
      PostCopyPhases phases,
      long startedAt) {

    /** Prints both hosts' view of the move every second from the switch on, until closed. */
    SideMonitor monitor() {
      return new SideMonitor(engine, vm.name(), phases.switchAt(), handle);
    }
  }

  /**
   * Starts a busy guest with 20 s of steps (to compare with after the switch) and moves it to hostb
   * over a 32 Mbit/s source link, switching to post-copy after 3 s (the slow link keeps the
   * post-copy busy long enough to break it in the middle); returns once it has switched.
   */
  private PostCopyMove startPostCopyMove(String name, Duration deadlineIn)
      throws InterruptedException {
    Guest vm = busyGuest(name, 22);
    int mbit = 32;
    lab.testbed.shape(lab.testbed.host(1), new LinkShape(mbit, 0));
    MigrationEngine engine = lab.engine();
    MigrationSettings settings =
        MigrationSettings.defaults()
            .withAutoConverge(false)
            .withPostCopy(PostCopyPolicy.after(Duration.ofSeconds(3)));
    PostCopyPhases phases = new PostCopyPhases();
    Instant deadline = Instant.now().plus(deadlineIn);
    long startedAt = System.nanoTime();
    MigrationHandle h =
        engine.start(
            new MigrationRequest(
                vm.name(), "hosta", "hostb", mbit * 1_000_000L / 8, deadline, settings, false),
            phases);
    assertTrue(phases.switched.await(90, TimeUnit.SECONDS), "no switch to post-copy");
    return new PostCopyMove(vm, engine, h, phases, startedAt);
  }

  /**
   * When a post-copy move switched, first broke (recovering) and was resumed (each return to
   * post-copy after a break), in System.nanoTime, from its phase events.
   */
  private static final class PostCopyPhases implements MigrationListener {
    final CountDownLatch switched = new CountDownLatch(1);
    private final java.util.Map<String, Long> at = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Long> resumes = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void onPhase(MigrationPhase p) {
      long now = System.nanoTime();
      if (p == MigrationPhase.POST_COPY && at.putIfAbsent("switch", now) == null) {
        switched.countDown();
      } else if (p == MigrationPhase.RECOVERING) {
        at.putIfAbsent("broke", now);
      } else if (p == MigrationPhase.POST_COPY && at.containsKey("broke")) {
        resumes.add(now);
      }
    }

    long switchAt() {
      return at.get("switch");
    }

    Long brokeAt() {
      return at.get("broke");
    }

    Long firstResumeAt() {
      return resumes.isEmpty() ? null : resumes.get(0);
    }

    /** The last resume (one made while the link is still broken fails). */
    Long lastResumeAt() {
      return resumes.isEmpty() ? null : resumes.get(resumes.size() - 1);
    }
  }

  /** A fault held on a move and how the move ended: when (System.nanoTime) and what it saw. */
  private record Broken<T>(
      T seen, long brokeAt, long healedAt, MigrationOutcome out, long endedAt) {}

  /** A fault that breaks a move, holds the break as long as it should, and returns what it saw. */
  @FunctionalInterface
  private interface Fault<T> {
    T hold() throws Exception;
  }

  /**
   * One second after the switch, breaks {@code move} with {@code fault}, then {@code heal}s it
   * (also when the fault throws) and waits up to {@code outcomeSeconds} for the outcome. Both
   * hosts' view is printed every second meanwhile; on an exception or a failed assertion {@code
   * diagnose} prints what the test wants to see before it is rethrown.
   */
  private static <T> Broken<T> breakAndAwait(
      PostCopyMove move, Fault<T> fault, Runnable heal, int outcomeSeconds, Runnable diagnose)
      throws Exception {
    T seen;
    long brokeAt;
    long healedAt;
    MigrationOutcome out;
    try (SideMonitor monitor = move.monitor()) {
      try {
        Thread.sleep(1000);
        brokeAt = System.nanoTime();
        try {
          seen = fault.hold();
        } finally {
          heal.run();
          healedAt = System.nanoTime();
        }
        out = move.handle().outcome().get(outcomeSeconds, TimeUnit.SECONDS);
      } catch (Exception | AssertionError e) {
        diagnose.run();
        throw e;
      }
    }
    return new Broken<>(seen, brokeAt, healedAt, out, System.nanoTime());
  }

  /** What breaking the migration streams saw: connection ends reset, when both hosts paused. */
  private record ResetSeen(int reset, long pausedAt) {}

  /**
   * A move's figures: the steps its build took in the 20 s before it and in the 20 s after the
   * switch, its longest pause as the build saw it, and its total time.
   */
  private record Figures(int before, int after, long pauseMs, long totalMs) {}

  /** Waits until 20 s after the switch have passed, then takes the figures of a move ended then. */
  private Figures figures(PostCopyMove move, long endedAt) {
    int conn = move.vm().conn();
    long startedAt = move.startedAt();
    long switchAt = move.phases().switchAt();
    lab.awaitStepAfter(conn, switchAt + 20_000_000_000L, 0);
    return new Figures(
        lab.channel.stepsBetween(conn, startedAt - 20_000_000_000L, startedAt),
        lab.channel.stepsBetween(conn, switchAt, switchAt + 20_000_000_000L),
        lab.pauseMs(conn, startedAt, endedAt),
        (endedAt - startedAt) / 1_000_000);
  }

  /** The move succeeded as a post-copy and the VM runs on hostb. */
  private static void assertPostCopyOnHostb(MigrationOutcome out) {
    assertTrue(out.success(), out.toString());
    assertTrue(out.postCopy(), out.toString());
    assertEquals(Optional.of("hostb"), out.runningOn(), out.toString());
  }

  /**
   * The VM runs on hostb only, its build goes on after {@code endedAt} with its workspace intact
   * and its step counter continuous across the move (no reboot), and nothing of it is left on
   * hosta.
   */
  private void assertOnlyOnHostbWithItsBuildWhole(PostCopyMove move, long endedAt) {
    String vm = move.vm().name();
    int conn = move.vm().conn();
    try (Hypervisor a = move.engine().connect("hosta");
        Hypervisor b = move.engine().connect("hostb")) {
      assertEquals(VmState.RUNNING, b.state(vm));
      assertEquals(VmState.ABSENT, a.state(vm));
    }
    GuestStep after = lab.awaitStepAfter(conn, endedAt, lab.lastStep(conn) + 1);
    assertEquals(0, after.wsBad(), "the build's workspace after the move");
    List<GuestStep> steps = lab.steps(conn);
    for (int i = 1; i < steps.size(); i++) {
      assertEquals(steps.get(0).bootId(), steps.get(i).bootId(), "the guest rebooted");
      assertEquals(
          steps.get(i - 1).n() + 1, steps.get(i).n(), "step counter continuous at " + steps.get(i));
    }
    lab.assertNothingOf(1, vm);
  }

  /**
   * Polls both hosts until each reports the VM's post-copy as failed (libvirt's paused with reason
   * post-copy failed); returns when (System.nanoTime), or -1 after {@code timeout}.
   */
  private static long awaitPostCopyPausedOnBoth(MigrationEngine engine, String vm, Duration timeout)
      throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    try (Hypervisor a = engine.connect("hosta");
        Hypervisor b = engine.connect("hostb")) {
      while (System.nanoTime() < until) {
        VmStatus s = a.status(vm);
        VmStatus d = b.status(vm);
        if (s.failedPostCopy() && d.failedPostCopy()) {
          long now = System.nanoTime();
          System.out.println("[postcopy-reset] paused on both: hosta " + s + " hostb " + d);
          return now;
        }
        Thread.sleep(200);
      }
    }
    return -1;
  }

  /**
   * Prints both hosts' view of the VM every second (state, job figures, the run's phase), so a lab
   * failure shows where a post-copy stood.
   */
  private static final class SideMonitor implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stop;

    SideMonitor(MigrationEngine engine, String vm, long fromNanos, MigrationHandle h) {
      thread =
          DaemonThreads.start(
              "postcopy-cut-monitor",
              () -> {
                try (BoundedCalls calls = new BoundedCalls(Duration.ofSeconds(3))) {
                  while (!stop) {
                    String a = side(engine, calls, "hosta", vm);
                    String b = side(engine, calls, "hostb", vm);
                    System.out.println(
                        "[postcopy-cut] t="
                            + (System.nanoTime() - fromNanos) / 1_000_000
                            + " ms phase="
                            + h.phase()
                            + " hosta: "
                            + a
                            + " hostb: "
                            + b);
                    try {
                      Thread.sleep(1000);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                }
              });
    }

    private static String side(MigrationEngine engine, BoundedCalls calls, String host, String vm) {
      try {
        return calls.call(
            host,
            "a look",
            () -> {
              try (Hypervisor hv = engine.connect(host)) {
                JobStats j = hv.jobStats(vm);
                return hv.status(vm)
                    + (j.active()
                        ? " job sent="
                            + (j.get("memory_processed") >> 20)
                            + "MiB left="
                            + (j.get("memory_remaining") >> 20)
                            + "MiB"
                        : "");
              }
            });
      } catch (RuntimeException e) {
        return "? (" + e.getMessage() + ")";
      }
    }

    @Override
    public void close() {
      stop = true;
      thread.interrupt();
    }
  }

  /** Both hosts' libvirt state and QEMU migration status for the VM (through virsh, as root). */
  private void printMigrationState(String vm) {
    for (int i = 1; i <= 2; i++) {
      String uri = lab.testbed.host(i).socketUri();
      for (List<String> cmd :
          List.of(
              List.of("virsh", "-c", uri, "domstate", "--reason", vm),
              List.of("virsh", "-c", uri, "domjobinfo", vm),
              List.of(
                  "virsh",
                  "-c",
                  uri,
                  "qemu-monitor-command",
                  vm,
                  "{\"execute\":\"query-migrate\"}"))) {
        io.spotnest.testbed.Shell.Result r = lab.testbed.shell().exec(cmd);
        System.out.println(
            "[postcopy-reset] host"
                + i
                + " "
                + cmd.get(3)
                + ": "
                + (r.stdout() + r.stderr()).strip().replace('\n', ' '));
      }
    }
  }

  /** The last lines of both hosts' libvirtd and QEMU logs for the VM. */
  private void printLogTails(String vm) {
    for (int i = 1; i <= 2; i++) {
      java.nio.file.Path dir = lab.testbed.host(i).dir().resolve("log");
      for (java.nio.file.Path f :
          List.of(dir.resolve("libvirtd.log"), dir.resolve("qemu").resolve(vm + ".log"))) {
        try {
          List<String> lines = java.nio.file.Files.readAllLines(f);
          System.out.println("[postcopy-cut] ---- " + f);
          lines.subList(Math.max(0, lines.size() - 25), lines.size()).forEach(System.out::println);
        } catch (java.io.IOException | RuntimeException e) {
          System.out.println("[postcopy-cut] no " + f + ": " + e.getMessage());
        }
      }
    }
  }

  private static String ms(Long nanos, long from) {
    return nanos == null ? "none" : Long.toString((nanos - from) / 1_000_000);
  }

  @Test
  void a_second_request_for_a_vm_being_moved_is_refused() throws Exception {
    Guest vm = guests(256, 8, 32, 2, "agent-twice").get(0);
    MigrationEngine engine = lab.engine();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(150));
    MigrationRequest req = toHostb(vm.name(), deadline, MigrationSettings.defaults(), true);
    MigrationHandle first = engine.start(req, MigrationListener.NONE);

    MigrationException second =
        assertThrows(MigrationException.class, () -> engine.start(req, MigrationListener.NONE));
    MigrationException reverse =
        assertThrows(
            MigrationException.class,
            () ->
                engine.start(
                    new MigrationRequest(
                        vm.name(),
                        "hostb",
                        "hosta",
                        100L << 20,
                        deadline,
                        MigrationSettings.defaults(),
                        true),
                    MigrationListener.NONE));

    assertEquals(FailureKind.ALREADY_MIGRATING, second.kind(), second.getMessage());
    assertEquals(FailureKind.ALREADY_MIGRATING, reverse.kind(), reverse.getMessage());
    MigrationOutcome out = first.outcome().get(150, TimeUnit.SECONDS);
    System.out.println("[twice] " + out);
    assertTrue(out.success(), out.toString());
    assertTrue(Instant.now().isBefore(deadline));
    try (Hypervisor b = engine.connect("hostb")) {
      assertEquals(VmState.RUNNING, b.state(vm.name()));
    }
    lab.assertNothingOf(1, vm.name());
  }

  @Test
  void two_vms_leaving_one_host_over_one_link_both_arrive_one_at_a_time() throws Exception {
    List<Guest> pair = guests(192, 4, 16, 2, "agent-pair1", "agent-pair2");
    Guest one = pair.get(0);
    Guest two = pair.get(1);
    MigrationEngine engine =
        lab.engine(
            EngineLimits.defaults().withMovesPerLink(1).withQueueWait(Duration.ofMinutes(3)));
    TwoMoves moves = moveBoth(engine, one, two);
    MigrationOutcome o1 = moves.first();
    MigrationOutcome o2 = moves.second();
    RunningCopies copies = moves.copies();

    System.out.println("[pair] " + o1 + " / " + o2);
    assertTrue(o1.success(), o1.toString());
    assertTrue(o2.success(), o2.toString());
    assertEquals(
        1,
        copies.mostJobs("hosta"),
        "moves over the link at once (" + copies.samples() + " samples)");
    assertEquals(1, copies.most(one.name()), "running copies of " + one.name());
    assertEquals(1, copies.most(two.name()), "running copies of " + two.name());
    try (Hypervisor b = engine.connect("hostb")) {
      assertEquals(VmState.RUNNING, b.state(one.name()));
      assertEquals(VmState.RUNNING, b.state(two.name()));
    }
    lab.assertNothingOf(1, one.name());
    lab.assertNothingOf(1, two.name());
  }

  @Test
  void two_vms_leaving_one_host_at_the_default_limits_share_the_link_and_both_arrive()
      throws Exception {
    List<Guest> duo = guests(192, 4, 16, 2, "agent-duo1", "agent-duo2");
    Guest one = duo.get(0);
    Guest two = duo.get(1);
    MigrationEngine engine =
        lab.engine(); // two moves per link: both start at once, preparing their overlays
    TwoMoves moves = moveBoth(engine, one, two);
    MigrationOutcome o1 = moves.first();
    MigrationOutcome o2 = moves.second();
    RunningCopies copies = moves.copies();

    System.out.println(
        "[duo] " + o1 + " / " + o2 + "; most jobs on hosta at once " + copies.mostJobs("hosta"));
    assertTrue(o1.success(), o1.toString());
    assertTrue(o2.success(), o2.toString());
    assertTrue(
        copies.mostJobs("hosta") <= 2, "moves over the link at once: " + copies.mostJobs("hosta"));
    assertEquals(1, copies.most(one.name()), "running copies of " + one.name());
    assertEquals(1, copies.most(two.name()), "running copies of " + two.name());
    lab.assertNothingOf(1, one.name());
    lab.assertNothingOf(1, two.name());
  }

  @Test
  void a_controller_killed_mid_migration_is_replaced_by_one_that_attaches_and_keeps_the_deadline()
      throws Exception {
    Guest vm = busyGuest("agent-ctlkill", 2);
    int conn = vm.conn();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(75));
    HypervisorEndpoint a = lab.endpoint(1);
    HypervisorEndpoint b = lab.endpoint(2);
    Process child =
        new ProcessBuilder(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ControllerChild.class.getName(),
                vm.name(),
                Long.toString(deadline.toEpochMilli()),
                a.name(),
                a.clientUri(),
                a.peerUri(),
                b.name(),
                b.clientUri(),
                b.peerUri())
            .redirectErrorStream(true)
            .start();
    java.util.UUID uuid;
    RunningCopies copies;
    try (java.io.BufferedReader out =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("COPYING")) {
        System.out.println("[child] " + line);
      }
      assertEquals("COPYING", line, "the child controller's copy never got going");
      child.destroyForcibly(); // SIGKILL: no clean-up of any kind
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    } finally {
      child.destroyForcibly();
    }
    MigrationEngine engine = lab.engine();
    copies = new RunningCopies(engine, List.of("hosta", "hostb"), vm.name());
    try (Hypervisor src = engine.connect("hosta")) {
      assertTrue(src.jobStats(vm.name()).active(), "libvirt's migration outlived its controller");
      uuid = src.uuid(vm.name()).orElseThrow();
    }

    MigrationOutcome out =
        engine
            .attach(vm.name(), uuid, 100L << 20, deadline, MigrationListener.NONE)
            .outcome()
            .get(150, TimeUnit.SECONDS);
    Instant ended = Instant.now();
    copies.close();

    System.out.println(
        "[ctlkill] "
            + out
            + "; ended "
            + Duration.between(ended, deadline).toMillis()
            + " ms before the caller's deadline");
    assertEquals(Optional.of(FailureKind.DEADLINE_EXCEEDED), out.failure(), out.toString());
    assertEquals(Optional.of("hosta"), out.runningOn(), out.toString());
    assertTrue(ended.isBefore(deadline), "the attached run ended after the deadline: " + out);
    assertEquals(
        1, copies.most(vm.name()), "running copies at once (" + copies.samples() + " samples)");
    assertEquals(
        0,
        lab.awaitStep(conn, lab.lastStep(conn) + 2).wsBad(),
        "the build goes on, its workspace intact");
    awaitNothingOn(2, vm.name(), Duration.ofSeconds(60));
  }

  private void awaitNothingOn(int host, String vm, Duration timeout) throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    MigrationRecovery recovery = new MigrationRecovery(List.of(lab.endpoint(1), lab.endpoint(2)));
    while (true) {
      try {
        System.out.println("[reconcile] " + recovery.reconcile(vm));
        lab.assertNothingOf(host, vm);
        return;
      } catch (AssertionError | RuntimeException e) {
        if (System.nanoTime() > until) {
          throw e;
        }
        Thread.sleep(2000);
      }
    }
  }
}
