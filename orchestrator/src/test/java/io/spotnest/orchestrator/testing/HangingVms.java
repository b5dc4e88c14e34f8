package io.spotnest.orchestrator.testing;

import io.spotnest.orchestrator.model.AgentBootSpec;
import io.spotnest.orchestrator.model.MemoryBacking;
import io.spotnest.orchestrator.port.AgentVms;
import io.spotnest.orchestrator.port.BootSecret;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link AgentVms} port of a host that drops packets: a removal hangs until {@link #answer()}
 * (libvirt's connect has no timeout of its own), or fails a number of times first. Boots go to the
 * fake world on the caller's thread; removals touch nothing of it, so they may run on any thread.
 */
public final class HangingVms implements AgentVms {
  private final FakeWorld world;
  private final CountDownLatch answer = new CountDownLatch(1);
  private final CountDownLatch called = new CountDownLatch(1);
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger attempts = new AtomicInteger();
  private final Queue<String> removed = new ConcurrentLinkedQueue<>();
  private volatile boolean hangs;

  public HangingVms(FakeWorld world) {
    this.world = world;
  }

  /** From now on a removal hangs until {@link #answer()}. */
  public HangingVms hang() {
    hangs = true;
    return this;
  }

  /** The next {@code n} removals fail at once (the host refused the connection). */
  public HangingVms fail(int n) {
    failures.set(n);
    return this;
  }

  /** Lets every hanging removal go on (and later ones not hang). */
  public void answer() {
    hangs = false;
    answer.countDown();
  }

  /** Waits until some removal was called; false after {@code seconds}. */
  public boolean awaitCalled(int seconds) throws InterruptedException {
    return called.await(seconds, TimeUnit.SECONDS);
  }

  /** How many times a removal was called. */
  public int attempts() {
    return attempts.get();
  }

  /** The removals that worked, as "agent on host". */
  public List<String> removed() {
    return List.copyOf(removed);
  }

  @Override
  public void boot(String agentId, String hostId, AgentBootSpec spec, BootSecret secret) {
    world.boot(agentId, hostId, spec, secret);
  }

  @Override
  public MemoryBacking memory() {
    return world.memory();
  }

  @Override
  public void destroy(String agentId, String hostId) {
    attempts.incrementAndGet();
    called.countDown();
    if (hangs) {
      try {
        answer.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while " + hostId + " did not answer", e);
      }
    }
    if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("host " + hostId + " refused the connection");
    }
    removed.add(agentId + " on " + hostId);
  }
}
