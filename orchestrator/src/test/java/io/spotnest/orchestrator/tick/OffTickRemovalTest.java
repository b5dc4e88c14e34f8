package io.spotnest.orchestrator.tick;

import static io.spotnest.orchestrator.testing.States.OD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.facade.FleetRuntime;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.testing.HangingVms;
import io.spotnest.orchestrator.testing.Rig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * VM removals run off the tick thread, on {@link RemovalThreads}: a host that does not answer
 * (libvirt's connect hangs for minutes) holds neither the command that asked for the removal nor
 * any tick; a removal that fails is tried again after a pause until it works; closing stops the
 * worker without waiting for a hanging host.
 */
class OffTickRemovalTest {
  private static final Duration GRACE = Duration.ofMillis(300);

  private final Rig rig = new Rig();
  private final HangingVms vms = new HangingVms(rig.world);
  private final List<Thread> workers = new CopyOnWriteArrayList<>();

  OffTickRemovalTest() {
    rig.vms = vms;
    rig.removalWorkers = this::threads;
  }

  private RemovalThreads threads() {
    var named = RemovalThreads.named();
    return new RemovalThreads(
        2,
        new RemovalBackoff(Duration.ofMillis(20), Duration.ofMillis(80)),
        GRACE,
        r -> {
          Thread t = named.newThread(r);
          workers.add(t);
          return t;
        });
  }

  @AfterEach
  void letItGo() {
    vms.answer();
    if (rig.o() != null) {
      rig.o().close();
    }
  }

  @Test
  void aRetirementAndTheTicksReturnWhileTheRemovalHangs() throws InterruptedException {
    String h = rig.host(OD, Market.ON_DEMAND);
    String a = rig.agent(h, 2048, false);
    vms.hang();
    rig.start();

    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          rig.o().retireAgent(a);
          rig.o().tick();
          rig.o().tick();
        },
        "the retirement and the ticks wait for a host that does not answer");

    assertEquals(AgentPhase.GONE, rig.o().state().findAgent(a).orElseThrow().phase());
    assertTrue(vms.awaitCalled(10), "the removal was started");
    assertEquals(List.of(), vms.removed(), "still hanging");
    Thread worker = workers.get(0);
    assertTrue(worker.getName().startsWith("spotnest-vm-removal-"), worker.getName());
    assertTrue(worker.isDaemon(), "a worker thread never keeps the process alive");

    vms.answer();
    assertTrue(within(() -> !vms.removed().isEmpty()), "removed once the host answers");
    assertEquals(List.of(a + " on " + h), vms.removed());
  }

  @Test
  void aRemovalThatFailsIsTriedAgainAfterAPauseUntilItWorks() {
    String h = rig.host(OD, Market.ON_DEMAND);
    String a = rig.agent(h, 2048, false);
    vms.fail(3);
    rig.start();

    rig.o().retireAgent(a);
    rig.o().tick();

    assertTrue(within(() -> !vms.removed().isEmpty()), "removed in the end");
    assertEquals(4, vms.attempts(), "three failures, then the try that worked");
    assertEquals(List.of(a + " on " + h), vms.removed());
  }

  @Test
  void closingStopsTheWorkerWithoutWaitingForAHangingHostAndNothingIsTriedAfter()
      throws InterruptedException {
    String h = rig.host(OD, Market.ON_DEMAND);
    String a = rig.agent(h, 2048, false);
    vms.hang().fail(5);
    Orchestrator o = rig.start();
    o.retireAgent(a);
    assertTrue(vms.awaitCalled(10), "the removal was started");

    assertTimeoutPreemptively(
        GRACE.plusSeconds(3), o::close, "closing waits for a host that does not answer");

    vms.answer(); // the hanging call fails at last; its retry is not scheduled any more
    for (Thread t : workers) {
      t.join(10_000);
      assertFalse(t.isAlive(), t.getName() + " still runs after close");
    }
    assertEquals(1, vms.attempts(), "no try after close");
    assertEquals(List.of(), vms.removed());
  }

  @Test
  void closingTheRuntimeStopsItsRemovalWorker() throws InterruptedException {
    String h = rig.host(OD, Market.ON_DEMAND);
    String a = rig.agent(h, 2048, false);
    vms.hang();
    FleetRuntime f =
        FleetRuntime.start(
            rig.clock,
            rig.journal,
            new Orchestrator.Ports(rig.world, rig.world, vms, rig.world, rig.strategy),
            new FleetConfig(
                Rig.OFFERS,
                rig.limits,
                rig.warm,
                0.05,
                Duration.ofMinutes(30),
                Duration.ofMinutes(5)),
            rig.ids(),
            Duration.ofMinutes(20),
            threads());
    f.retireAgent(a);
    assertTrue(vms.awaitCalled(10), "the removal was started");

    assertTimeoutPreemptively(GRACE.plusSeconds(3), f::close, "closing waits for the host");

    vms.answer();
    for (Thread t : workers) {
      t.join(10_000);
      assertFalse(t.isAlive(), t.getName() + " still runs after the runtime closed");
    }
  }

  /** Whether {@code condition} holds within 10 seconds. */
  private static boolean within(BooleanSupplier condition) {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }
}
