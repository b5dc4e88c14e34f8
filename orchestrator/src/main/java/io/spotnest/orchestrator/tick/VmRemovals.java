package io.spotnest.orchestrator.tick;

import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.port.AgentVms;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;

/**
 * Removes the VMs of agents whose end is journaled (retired, cancelled or lost), off the tick: the
 * tick (or command) only hands the removal to the {@link RemovalWorker} and never waits for a host.
 * A removal that fails ({@link AgentVms#destroy} throws, as the libvirt adapter does for a host
 * that does not answer) is tried again after a growing pause ({@link RemovalBackoff}) until it
 * works: the first failure is logged with its cause, later ones at DEBUG, and the removal that
 * finally works says so. The worker touches no part of the model: it reports a removal done through
 * a queue that {@link #settle()} empties on the tick thread. Kept in memory only: a restart's
 * reconciliation finds such a VM on the hosts and removes it.
 *
 * <p>A removal may wait for minutes while the tick goes on, so it must never hit a VM that runs
 * there legitimately by then (a move, standing copy, boot or adoption of the agent onto that host).
 * That cannot happen because only the VM of an agent the model has as gone is removed (refused
 * otherwise, on the tick thread): gone is final, so the model refuses any later placement, boot,
 * move, copy or adoption of it; an agent's name, which its VM carries, is never used again (a lost
 * build is requeued under a new name); and a restart's reconciliation removes a gone agent's VM
 * rather than adopt it.
 */
public final class VmRemovals implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(VmRemovals.class.getName());
  private final AgentVms vms;
  private final FleetState state;
  private final RemovalWorker worker;
  private final Set<Removal> pending = new LinkedHashSet<>(); // tick thread only
  private final Queue<Removal> done = new ConcurrentLinkedQueue<>(); // worker to tick

  /** One VM to remove: the agent's, from the host. */
  public record Removal(String agentId, String hostId) {}

  /**
   * @param state the model, read on the tick thread only
   */
  public VmRemovals(AgentVms vms, FleetState state, RemovalWorker worker) {
    this.vms = vms;
    this.state = state;
    this.worker = worker;
  }

  /**
   * Hands the removal of the agent's VM from {@code hostId} to the worker; returns at once.
   *
   * @throws IllegalStateException (nothing handed over) unless the model has the agent as gone: a
   *     removal that waits must not hit a VM the agent runs there again
   */
  public void remove(String agentId, String hostId) {
    AgentPhase phase = state.findAgent(agentId).map(Agent::phase).orElse(null);
    if (phase != AgentPhase.GONE) {
      throw new IllegalStateException(
          "refused to remove the VM of agent "
              + agentId
              + " from "
              + hostId
              + ": it is "
              + (phase == null ? "unknown" : phase)
              + ", not gone, so its VM there may be the one it runs on");
    }
    Removal r = new Removal(agentId, hostId);
    if (!pending.add(r)) {
      return; // already on its way
    }
    try {
      worker.run(new Attempts(r)::attempt);
    } catch (RejectedExecutionException closed) {
      pending.remove(r);
      LOG.log(
          Level.WARNING,
          "not removing the VM of gone agent "
              + agentId
              + " from "
              + hostId
              + ": the orchestrator is closed; the next start's reconciliation removes it");
    }
  }

  /**
   * Takes in the removals the worker finished (on the tick thread); returns how many still wait.
   */
  public int settle() {
    for (Removal r = done.poll(); r != null; r = done.poll()) {
      pending.remove(r);
    }
    return pending.size();
  }

  /** The removals handed to the worker that it has not reported done (as of the last settle). */
  public List<Removal> pending() {
    return List.copyOf(pending);
  }

  /** Stops the worker; a removal still waiting is left to the next start's reconciliation. */
  @Override
  public void close() {
    worker.close();
    if (settle() > 0) {
      LOG.log(
          Level.WARNING,
          "closing with VM removals not done (the next start's reconciliation removes them): "
              + pending);
    }
  }

  /** The tries at one removal, one after the other on the worker. */
  private final class Attempts {
    private final Removal removal;
    private int failures;

    Attempts(Removal removal) {
      this.removal = removal;
    }

    void attempt() {
      try {
        vms.destroy(removal.agentId(), removal.hostId());
      } catch (RuntimeException e) {
        failed(e);
        return;
      }
      if (failures > 0) {
        LOG.log(
            Level.INFO,
            "removed the VM of gone agent "
                + removal.agentId()
                + " from "
                + removal.hostId()
                + " after "
                + failures
                + (failures == 1 ? " failed try" : " failed tries"));
      }
      done.add(removal);
    }

    private void failed(RuntimeException e) {
      failures++;
      Duration pause;
      try {
        pause = worker.retry(this::attempt, failures);
      } catch (RejectedExecutionException closed) {
        LOG.log(
            Level.WARNING,
            "cannot remove the VM of gone agent "
                + removal.agentId()
                + " from "
                + removal.hostId()
                + " and the orchestrator is closing: the next start's reconciliation removes it",
            e);
        return;
      }
      String line =
          "cannot remove the VM of gone agent "
              + removal.agentId()
              + " from "
              + removal.hostId()
              + "; trying again in "
              + (pause.toMillis() < 1000 ? pause.toMillis() + " ms" : pause.toSeconds() + " s");
      if (failures == 1) {
        // said once with its cause, then quietly until it works
        LOG.log(Level.WARNING, line + " and on until it works", e);
      } else {
        LOG.log(Level.DEBUG, line + " (failure " + failures + "): " + e.getMessage());
      }
    }
  }
}
