package io.spotnest.orchestrator.lab;

import io.spotnest.migration.HypervisorEndpoint;
import io.spotnest.migration.HypervisorFactory;
import io.spotnest.migration.MigrationListener;
import io.spotnest.migration.MigrationPlanner;
import io.spotnest.migration.MigrationProgress;
import io.spotnest.migration.MigrationSettings;
import io.spotnest.migration.PostCopyPolicy;
import io.spotnest.migration.StandbyMemory;
import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.adapter.migration.EngineAgentMover;
import io.spotnest.orchestrator.journal.FileJournal;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.placement.Limits;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.port.HostOrder;
import io.spotnest.orchestrator.testing.FakeWorld;
import io.spotnest.orchestrator.testing.Rig;
import io.spotnest.orchestrator.testing.States;
import io.spotnest.orchestrator.tick.FleetConfig;
import io.spotnest.orchestrator.tick.Ids;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An orchestrator in a JVM of its own, for {@link ControllerKillLabTest}: a real {@link
 * FileJournal}, the real {@link EngineAgentMover} over two testbed hosts, and a {@link FakeWorld}
 * for the cloud (it lists the same two hosts, i-1 spot and i-2 on-demand, at every start), the
 * strategy and the event feed.
 *
 * <p>{@code first}: records the two hosts and the busy agent (its VM already runs on i-1), starts,
 * reconciles, gets a notice for i-1, ticks; prints {@code MOVE} once the move is journaled and
 * {@code COPYING <MiB>} once the engine reports that much sent, then ticks on until it is killed.
 *
 * <p>{@code second}: opens the same journal, reconciles, ticks until the agent is settled (not
 * migrating, no move in flight), prints {@code SETTLED} with its view and exits.
 *
 * <p>Arguments: mode, journal file, agent id, notice deadline (epoch ms), move bandwidth cap
 * (MiB/s), link rate (bytes/s), then client URI, peer URI and memory (MiB) of testbed host 1, then
 * of host 2.
 */
final class ControllerKillChild {
  /** Sent by the move before {@code first} says it is copying. */
  static final long COPYING_MIB = 24;

  private ControllerKillChild() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path file = Path.of(args[1]);
    String agent = args[2];
    Instant deadline = Instant.ofEpochMilli(Long.parseLong(args[3]));
    long capMiBps = Long.parseLong(args[4]);
    long linkBytes = Long.parseLong(args[5]);
    List<HypervisorEndpoint> endpoints =
        List.of(
            new HypervisorEndpoint("i-1", args[6], args[7], Long.parseLong(args[8])),
            new HypervisorEndpoint("i-2", args[9], args[10], Long.parseLong(args[11])));
    AtomicBoolean copying = new AtomicBoolean();
    MigrationListener listener =
        new MigrationListener() {
          @Override
          public void onProgress(MigrationProgress p) {
            long mib = p.memoryProcessed() >> 20;
            if (mib >= COPYING_MIB && copying.compareAndSet(false, true)) {
              say("COPYING " + mib);
            }
          }
        };
    EngineAgentMover mover =
        new EngineAgentMover(
            () -> endpoints,
            new MigrationPlanner(0.8, Duration.ofMillis(500)),
            HypervisorFactory.LIBVIRT,
            Clock.systemUTC(),
            MigrationSettings.defaults()
                .withBandwidthMiBps(capMiBps)
                .withAutoConverge(false)
                .withPostCopy(PostCopyPolicy.never()),
            (x, y) -> linkBytes,
            listener,
            r -> say("REPORT " + r),
            StandbyMemory.RAM);
    try (FileJournal journal = FileJournal.open(file)) {
      FakeWorld world = new FakeWorld();
      Rig rig = new Rig(journal, world);
      rig.limits = new Limits(2, 20, 4, 2, 0.2); // no host beyond the testbed's two
      if (mode.equals("first")) {
        String spot = rig.host(States.SPOT_A, Market.SPOT);
        String od = rig.host(States.OD, Market.ON_DEMAND);
        if (!spot.equals("i-1") || !od.equals("i-2")) {
          throw new IllegalStateException("hosts " + spot + ", " + od);
        }
        rig.namedAgent(agent, spot, 256, true);
      } else {
        // the cloud lists the same two hosts again, under the launch keys the journal holds
        for (int i = 0; i < 2; i++) {
          HostOrder o = Rig.OFFERS.get(i == 0 ? 0 : 2);
          world.launch("seed-" + (i + 1), o);
        }
      }
      Orchestrator o =
          new Orchestrator(
              Clock.systemUTC(),
              journal,
              new Orchestrator.Ports(world, mover, world, world, rig.strategy),
              new FleetConfig(
                  Rig.OFFERS, rig.limits, 0, 0.05, Duration.ofMinutes(30), Duration.ofMinutes(5)),
              ids(mode));
      if (mode.equals("first")) {
        first(o, world, agent, deadline);
      } else {
        second(o, agent, deadline);
      }
    }
    System.exit(0);
  }

  private static void first(Orchestrator o, FakeWorld world, String agent, Instant deadline)
      throws InterruptedException {
    o.reconcile();
    world.event(new FleetEvent.Notice("sqs-kill9", "i-1", "sqs", Instant.now(), deadline));
    boolean told = false;
    while (Instant.now().isBefore(deadline)) {
      o.tick();
      if (!told && o.state().moveOf(agent).isPresent()) {
        var m = o.state().moveOf(agent).orElseThrow();
        say("MOVE " + m.moveId() + " " + m.from() + " -> " + m.to() + " by " + m.deadline());
        told = true;
      } else if (told && o.state().moveOf(agent).isEmpty()) {
        say("ENDED before the kill: agent " + view(o, agent));
        return;
      }
      Thread.sleep(500);
    }
    say("NO MOVE by the deadline: agent " + view(o, agent));
  }

  private static void second(Orchestrator o, String agent, Instant deadline)
      throws InterruptedException {
    long t0 = System.nanoTime();
    o.reconcile();
    say(
        "RECONCILED in "
            + (System.nanoTime() - t0) / 1_000_000
            + " ms, moves in flight "
            + o.state().moves().size()
            + ", agent "
            + view(o, agent));
    Instant until = deadline.plusSeconds(60);
    while (Instant.now().isBefore(until)) {
      o.tick();
      Agent a = o.state().findAgent(agent).orElseThrow();
      if (a.phase() != AgentPhase.MIGRATING && o.state().moves().isEmpty()) {
        say(
            "SETTLED host="
                + a.hostId()
                + " phase="
                + a.phase()
                + " at="
                + Instant.now().toEpochMilli()
                + " ms="
                + (System.nanoTime() - t0) / 1_000_000);
        return;
      }
      Thread.sleep(500);
    }
    say("UNSETTLED agent " + view(o, agent));
  }

  private static String view(Orchestrator o, String agent) {
    return o.state().findAgent(agent).map(a -> a.hostId() + " " + a.phase()).orElse("unknown");
  }

  /** Ids no other run of this journal hands out. */
  private static Ids ids(String mode) {
    AtomicInteger seq = new AtomicInteger();
    return prefix -> prefix + "-" + mode + "-" + seq.incrementAndGet();
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
