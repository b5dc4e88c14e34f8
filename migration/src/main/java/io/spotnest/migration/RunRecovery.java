package io.spotnest.migration;

import io.spotnest.migration.RecoveryPlan.Keep;
import io.spotnest.migration.RecoveryPlan.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * After a migration call (or a failure before it): looks at both hosts, asks {@link
 * RecoveryDecision} what to keep, and applies it. A host counts as unreachable only when a fresh
 * connection cannot read the VM's state either, so a connection broken by a daemon restart is not
 * mistaken for a dead host; one whose job statistics do not answer is reachable with a job in
 * flight. Once libvirt's call has returned, an undecided plan is looked at again until the settle
 * timeout while a job is being torn down; a host that does not answer at all is not waited for
 * (that wait ran a link-cut abort 43 s past the caller's deadline in CI). A domain of the VM's name
 * with another UUID is a different VM: it counts as absent and is never touched.
 */
final class RunRecovery {

  private final Hypervisor src;
  private final Hypervisor dst;
  private final HypervisorFactory factory;
  private final String vm;
  private final Optional<UUID> identity;
  private final Set<String> foreign = ConcurrentHashMap.newKeySet();
  private final BoundedCalls calls;
  private final RunTimings timings;

  RunRecovery(
      Hypervisor src,
      Hypervisor dst,
      HypervisorFactory factory,
      String vm,
      Optional<UUID> identity,
      BoundedCalls calls,
      RunTimings timings) {
    this.src = src;
    this.dst = dst;
    this.factory = factory;
    this.vm = vm;
    this.identity = identity;
    this.calls = calls;
    this.timings = timings;
  }

  /** The facts, the plan and what applying it did. */
  record Settled(HostView source, HostView destination, RecoveryPlan plan, List<String> notes) {}

  Settled settle(JobPhase phase, boolean callReturned) {
    return settle(phase, callReturned, false);
  }

  /**
   * As {@link #settle(JobPhase, boolean)}; with {@code sourceGone} a source that does not answer
   * counts as gone for good (the run waited for it as long as it could), so what it held is lost.
   */
  Settled settle(JobPhase phase, boolean callReturned, boolean sourceGone) {
    long until = System.nanoTime() + timings.settleTimeout().toNanos();
    while (true) {
      HostView s = observe(src);
      if (sourceGone && !s.reachable()) {
        s = HostView.lost();
      }
      // a pre-copy aborted while the source ran on, its call stuck on the destination: nothing is
      // decided there, and
      // a destination that does not answer would hold the run for two call timeouts
      HostView d =
          phase == JobPhase.PRE_COPY_ABORTED && !callReturned
              ? HostView.unreachable()
              : observe(dst);
      RecoveryPlan plan = RecoveryDecision.decide(s, d, phase, callReturned);
      boolean jobTearingDown = RecoveryDecision.inFlight(s) || RecoveryDecision.inFlight(d);
      if (callReturned
          && plan.keep() == Keep.UNDECIDED
          && jobTearingDown
          && System.nanoTime() < until
          && !calls.pastEnd()) {
        pause(200);
        continue;
      }
      return new Settled(s, d, plan, apply(plan));
    }
  }

  /**
   * Settles again, knowing libvirt's call has returned, on connections and bounded calls of its own
   * (the run's are closed once it ended): the clean-up of a destination a stuck call held.
   */
  Settled settleAfresh(JobPhase phase) {
    try (BoundedCalls fresh = new BoundedCalls(timings.callTimeout());
        Hypervisor s =
            fresh.call(
                src.endpoint().name(), "a connection", () -> factory.connect(src.endpoint()));
        Hypervisor d =
            fresh.call(
                dst.endpoint().name(), "a connection", () -> factory.connect(dst.endpoint()))) {
      return new RunRecovery(s, d, factory, vm, identity, fresh, timings)
          .settle(phase, true, false);
    }
  }

  private List<String> apply(RecoveryPlan plan) {
    List<String> notes = new ArrayList<>();
    for (Step step : Step.values()) {
      if (!plan.steps().contains(step)) {
        continue;
      }
      if (step == Step.RESUME_POST_COPY) {
        // the run resumes a post-copy itself (PostCopyRescue); here neither copy is touched
        notes.add("both copies left whole for a post-copy resume");
        continue;
      }
      Hypervisor h = step == Step.RESUME_SOURCE || step == Step.REMOVE_SOURCE ? src : dst;
      String where =
          step == Step.RESUME_SOURCE || step == Step.REMOVE_SOURCE ? "source" : "destination";
      if (foreign.contains(h.endpoint().name())) {
        notes.add("left alone a different VM named " + vm + " on the " + where);
        continue;
      }
      try {
        if (step == Step.RESUME_SOURCE || step == Step.RESUME_DESTINATION) {
          calls.run(h.endpoint().name(), "resume", () -> h.resume(vm));
          notes.add("resumed the paused " + where);
        } else {
          boolean present =
              calls.call(h.endpoint().name(), "state", () -> h.state(vm)) != VmState.ABSENT;
          calls.run(h.endpoint().name(), "removal", () -> h.remove(vm));
          if (present) {
            notes.add("removed the " + where + "'s copy");
          }
        }
      } catch (RuntimeException e) {
        notes.add(
            "could not " + step.name().toLowerCase().replace('_', ' ') + ": " + e.getMessage());
      }
    }
    return notes;
  }

  /** The VM's copy on one host, through a fresh connection when the held one fails. */
  HostView observe(Hypervisor h) {
    try {
      return observeOn(h);
    } catch (RuntimeException first) {
      try (Hypervisor fresh =
          calls.call(h.endpoint().name(), "a connection", () -> factory.connect(h.endpoint()))) {
        return observeOn(fresh);
      } catch (RuntimeException second) {
        return HostView.unreachable();
      }
    }
  }

  private HostView observeOn(Hypervisor h) {
    VmStatus status = calls.call(h.endpoint().name(), "the VM's state", () -> h.status(vm));
    if (status.present()
        && identity.isPresent()
        && !identity.equals(calls.call(h.endpoint().name(), "the VM's UUID", () -> h.uuid(vm)))) {
      foreign.add(h.endpoint().name());
      return HostView.of(VmStatus.ABSENT);
    }
    foreign.remove(h.endpoint().name());
    return new HostView(true, status, status.present() && jobMayRun(h));
  }

  /**
   * Whether a job may run on the VM's copy: a host that answered the VM's state but not its job
   * statistics (libvirt holds the domain's job while it finishes a migration step, and a query
   * waits for it) is reachable, and its job counts as in flight, so nothing is decided on it until
   * it answers.
   */
  private boolean jobMayRun(Hypervisor h) {
    try {
      return calls.call(h.endpoint().name(), "job statistics", () -> h.jobStats(vm)).active();
    } catch (RuntimeException e) {
      return true;
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
