package io.spotnest.migration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Live-migrates agent VMs between hosts, peer to peer, through the {@link Hypervisor} seam.
 *
 * <p>Order of work: claim the VM (one migration per VM at a time); check the request and reserve
 * the memory on the destination; measure the guest (RAM, dirty rate, non-zero pages, written
 * overlay blocks); plan against the time left until the caller's absolute deadline, measuring
 * included, with the link efficiency and set-up time the last move over the same link showed
 * ({@link LinkCalibration}); run it ({@link MigrationRun}). libvirt's peer-to-peer protocol resumes
 * the guest on the destination before it stops the source; afterwards {@link RecoveryDecision}
 * settles where the VM runs and what is removed.
 */
public final class MigrationEngine {

  /**
   * The request deadline of a standing copy's stream: it bounds the wait for a slot, not the
   * stream.
   */
  private static final Duration STANDING_HORIZON = Duration.ofDays(1);

  /**
   * One-second dirty-rate calculations before a move (then one of {@value
   * DirtyRateMeter#SPAN_SECONDS} s for the working set): libvirt's page sampling sees 2 MiB of RAM
   * per sampled page, so a single second of a slow dirtier often reads 0 or 3 MiB/s ({@link
   * DirtyRateReadings}). Fewer when the measurement's budget does not fit them.
   */
  private static final Duration DIRTY_RATE_WINDOW = Duration.ofSeconds(5);

  /** The longest a dirty-rate measurement may take, whatever the deadline. */
  private static final Duration LONGEST_DIRTY_RATE_READ = Duration.ofMinutes(1);

  private final Map<String, HypervisorEndpoint> hosts;
  private final MigrationPlanner planner;
  private final HypervisorFactory factory;
  private final Clock clock;
  private final RunTimings timings;
  private final EngineLimits limits;
  private final InFlight inFlight = new InFlight();
  private final LinkCalibration calibration = new LinkCalibration();
  private final MoveSlots slots;

  /** An engine over libvirt hosts on the system clock. */
  public MigrationEngine(List<HypervisorEndpoint> hosts, MigrationPlanner planner) {
    this(hosts, planner, HypervisorFactory.LIBVIRT, Clock.systemUTC());
  }

  /**
   * @param factory how hosts are reached
   * @param clock the clock the callers' deadlines are on
   */
  public MigrationEngine(
      List<HypervisorEndpoint> hosts,
      MigrationPlanner planner,
      HypervisorFactory factory,
      Clock clock) {
    this(hosts, planner, factory, clock, EngineLimits.defaults());
  }

  /**
   * @param limits concurrent moves per host and per link, the wait for a slot, the safety margin on
   *     deadlines
   */
  public MigrationEngine(
      List<HypervisorEndpoint> hosts,
      MigrationPlanner planner,
      HypervisorFactory factory,
      Clock clock,
      EngineLimits limits) {
    this(hosts, planner, factory, clock, RunTimings.defaults(), limits);
  }

  /** Test timings, and no safety margin: the tests' deadlines are the abort times. */
  MigrationEngine(
      List<HypervisorEndpoint> hosts,
      MigrationPlanner planner,
      HypervisorFactory factory,
      Clock clock,
      RunTimings timings) {
    this(
        hosts,
        planner,
        factory,
        clock,
        timings,
        EngineLimits.defaults().withSafetyMargin(Duration.ZERO));
  }

  MigrationEngine(
      List<HypervisorEndpoint> hosts,
      MigrationPlanner planner,
      HypervisorFactory factory,
      Clock clock,
      RunTimings timings,
      EngineLimits limits) {
    Map<String, HypervisorEndpoint> m = new LinkedHashMap<>();
    for (HypervisorEndpoint h : hosts) {
      if (m.put(h.name(), h) != null) {
        throw new IllegalArgumentException("host " + h.name() + " is listed twice");
      }
    }
    this.hosts = Map.copyOf(m);
    this.planner = planner;
    this.factory = factory;
    this.clock = clock;
    this.timings = timings;
    this.limits = limits;
    this.slots = new MoveSlots(limits, clock);
  }

  /** Opens a hypervisor connection to a known host. */
  public Hypervisor connect(String host) {
    return factory.connect(known(host, "host"));
  }

  /** The engine's clock: deadlines are instants on it. */
  public Clock clock() {
    return clock;
  }

  /**
   * The tuning the engine would choose for moving the VM now, and its plan, without starting
   * anything.
   */
  public TuningChoice plan(MigrationRequest req) {
    HypervisorEndpoint srcEp = known(req.source(), "source");
    known(req.destination(), "destination");
    try (Hypervisor src = factory.connect(srcEp)) {
      requireRunning(src, req.vmName());
      MigrationRequest planned = req.withDeadline(req.deadline().minus(limits.safetyMargin()));
      return TuningChoice.choose(
          calibration.planner(planner, req.source(), req.destination()),
          measure(src, planned, req.linkBytesPerSecond(), longestDirtyRateRead(planned)),
          req.settings());
    }
  }

  /**
   * Migrates and returns the outcome, or throws {@link MigrationException} when it refuses before
   * starting (nothing changed on either host). The listener's events are all delivered before it
   * returns.
   */
  public MigrationOutcome migrate(MigrationRequest req, MigrationListener listener) {
    try {
      return start(req, listener).outcome().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof MigrationException m) {
        throw m;
      }
      throw new MigrationException(
          FailureKind.HYPERVISOR_ERROR,
          "migration of " + req.vmName() + " failed: " + e.getCause(),
          e.getCause());
    }
  }

  /**
   * Starts a migration in the background. A request for a VM already being migrated, or naming an
   * unknown host, is refused here; other refusals complete the handle's outcome exceptionally.
   * Events reach the listener on a thread of their own, in order.
   */
  public MigrationHandle start(MigrationRequest req, MigrationListener listener) {
    HypervisorEndpoint srcEp = known(req.source(), "source");
    HypervisorEndpoint dstEp = known(req.destination(), "destination");
    InFlight.Claim claim = inFlight.claim(req.vmName());
    StreamRate stream = new StreamRate();
    return launch(
        req.vmName(),
        claim,
        stream.tee(listener),
        (events, handle) -> run(req, srcEp, dstEp, events, handle, null, stream));
  }

  /**
   * Starts keeping a standing copy of the VM on the backup host ({@link StandingCopy}): a pre-copy
   * stream that keeps the backup's memory and overlay near-current without switching over, until
   * the handle's {@link StandingCopyHandle#flush flush} or {@link StandingCopyHandle#stop stop}. It
   * is checked, reserved and counted against the limits like a move, and the VM is claimed for as
   * long as the copy stands. After it ends, {@link RecoveryDecision} settles where the VM runs, as
   * after any move.
   */
  public StandingCopyHandle keepStandingCopy(StandingCopyRequest req, MigrationListener listener) {
    MigrationRequest move =
        new MigrationRequest(
            req.vmName(),
            req.source(),
            req.backup(),
            req.linkBytesPerSecond(),
            clock.instant().plus(STANDING_HORIZON),
            req.settings(),
            false);
    HypervisorEndpoint srcEp = known(move.source(), "source");
    HypervisorEndpoint dstEp = known(move.destination(), "backup");
    InFlight.Claim claim = inFlight.claim(move.vmName());
    StandingCopy copy =
        new StandingCopy(req.settings(), req.standbyMemory(), clock, limits.safetyMargin());
    MigrationHandle h =
        launch(
            move.vmName(),
            claim,
            listener,
            (events, handle) -> run(move, srcEp, dstEp, events, handle, copy, new StreamRate()));
    return new StandingCopyHandle(move.vmName(), dstEp.name(), copy, h);
  }

  /**
   * The standby memory a standing copy of the VM on {@code host} can have when {@code wanted}:
   * {@link StandbyMemory#FILE} only where the VM's RAM already is a file there (libvirt keeps a
   * migration's memory source, so {@link #keepStandingCopy} refuses a file standby of a VM in
   * anonymous RAM), {@link StandbyMemory#RAM} otherwise. RAM wanted is RAM, without asking the
   * host.
   *
   * @throws MigrationException when the host cannot describe the VM
   */
  public StandbyMemory standbyMemoryFor(String host, String vmName, StandbyMemory wanted) {
    if (wanted == StandbyMemory.RAM) {
      return StandbyMemory.RAM;
    }
    try (Hypervisor hv = connect(host)) {
      return "file".equals(DomainXml.memorySource(hv.migratableXml(vmName)))
          ? StandbyMemory.FILE
          : StandbyMemory.RAM;
    }
  }

  /**
   * Runs {@code body} on a thread of the VM's own and completes the handle with its outcome or
   * refusal.
   */
  private MigrationHandle launch(
      String vm,
      InFlight.Claim claim,
      MigrationListener listener,
      BiFunction<EventRelay, MigrationHandle, MigrationOutcome> body) {
    EventRelay events = new EventRelay(listener, vm);
    MigrationHandle handle = new MigrationHandle(vm, events);
    events.onPhase(MigrationPhase.PREPARING);
    DaemonThreads.start(
        "spotnest-migration-" + vm,
        () -> {
          MigrationOutcome o = null;
          RuntimeException refused = null;
          try {
            o = body.apply(events, handle);
            events.onOutcome(o);
          } catch (RuntimeException e) {
            refused = e;
          } finally {
            claim.close(); // free the VM and its reservation before the caller learns the outcome
          }
          handle.phase(MigrationPhase.DONE);
          events.drain();
          events.close();
          if (refused != null) {
            handle.fail(refused);
          } else {
            handle.complete(o);
          }
        });
    return handle;
  }

  /**
   * Takes over a migration libvirt is already running, after a controller restart: finds it by the
   * VM's UUID and the outgoing job on its source (the incoming copy on another known host is its
   * destination), enforces the deadline again (less the safety margin; the abort, recovery and
   * clean-up are the engine's usual ones) and reports its outcome on the handle. A VM with no
   * migration job is refused (reconcile it with {@link MigrationRecovery}); so is a VM the engine
   * is already moving.
   *
   * @param linkBytesPerSecond the link's measured bandwidth (shared with other moves on it)
   */
  public MigrationHandle attach(
      String vmName,
      UUID vmUuid,
      long linkBytesPerSecond,
      Instant deadline,
      MigrationListener listener) {
    if (vmUuid == null || deadline == null || linkBytesPerSecond <= 0) {
      throw new IllegalArgumentException(
          "attach needs the VM's UUID, a deadline and a positive link bandwidth");
    }
    InFlight.Claim claim = inFlight.claim(vmName);
    return launch(
        vmName,
        claim,
        listener,
        (events, handle) ->
            runAttached(vmName, vmUuid, linkBytesPerSecond, deadline, events, handle));
  }

  private MigrationOutcome runAttached(
      String vm,
      UUID uuid,
      long link,
      Instant deadline,
      EventRelay events,
      MigrationHandle handle) {
    RunningJob.Ends ends = RunningJob.find(hosts.values(), factory, vm, uuid);
    try (RunConnections connections = new RunConnections(vm)) {
      Hypervisor src = connections.add(factory.connect(ends.source()));
      Hypervisor dst = connections.add(factory.connect(ends.destination()));
      // the original settings died with the old controller: watch only (no switch of our own), copy
      // storage
      // assumed so the outcome measures what arrived
      MigrationSettings s = MigrationSettings.defaults().withPostCopy(PostCopyPolicy.never());
      MigrationRequest req =
          new MigrationRequest(
              vm,
              ends.source().name(),
              ends.destination().name(),
              link,
              deadline.minus(limits.safetyMargin()),
              s,
              false,
              Optional.of(uuid));
      try (MoveSlots.Slot slot =
          slots.admitRunning(ends.source().name(), ends.destination().name(), vm, link, 0)) {
        boolean postCopy = src.status(vm).postCopy();
        MigrationProgress p = src.jobStats(vm).progress(postCopy);
        Duration left = Duration.between(clock.instant(), req.deadline());
        MigrationInputs in =
            new MigrationInputs(
                src.memoryBytes(vm),
                p.dirtyBytesPerSecond(),
                Math.max(1, slot.shareBytesPerSecond()),
                p.diskRemaining(),
                left.isNegative() || left.isZero() ? Duration.ofNanos(1) : left);
        MigrationPlan plan =
            calibration
                .planner(planner, ends.source().name(), ends.destination().name())
                .plan(in, s);
        events.onPlan(plan);
        return runMove(
            connections,
            req,
            src,
            dst,
            plan,
            events,
            handle,
            slot,
            Tuning.NONE,
            run -> run.attach(postCopy));
      }
    }
  }

  private MigrationOutcome run(
      MigrationRequest asked,
      HypervisorEndpoint srcEp,
      HypervisorEndpoint dstEp,
      EventRelay listener,
      MigrationHandle handle,
      StandingCopy standing,
      StreamRate streamRate) {
    try (RunConnections connections = new RunConnections(asked.vmName())) {
      Hypervisor src = connections.add(factory.connect(srcEp));
      Hypervisor dst = connections.add(factory.connect(dstEp));
      requireRunning(src, asked.vmName());
      MigrationRequest req =
          asked
              .withVmUuid(identity(src, asked))
              .withDeadline(asked.deadline().minus(limits.safetyMargin()));
      String vm = req.vmName();
      if (dst.state(vm) != VmState.ABSENT) {
        throw new MigrationException(
            FailureKind.INVALID_REQUEST,
            "agent VM " + vm + " already exists on destination " + dstEp.name());
      }
      try (MoveSlots.Slot slot =
          slots.acquire(
              srcEp.name(),
              dstEp.name(),
              vm,
              req.linkBytesPerSecond(),
              req.settings().bandwidthMiBps(),
              req.deadline(),
              handle::cancelRequested)) {
        long disk =
            req.settings().copyStorage()
                ? src.workspaceDisk(vm).map(WorkspaceDisk::allocationBytes).orElse(0L)
                : 0;
        inFlight.reserve(
            dstEp,
            vm,
            src.memoryBytes(vm) >> 20,
            dst.activeVmMemoryMib(),
            () -> dst.freeMemoryBytes() >> 20,
            disk,
            dst::freeDiskBytes);
        // a standing stream protects nothing until it runs, and its plan decides nothing (a
        // notice's flush is planned from the stream's own figures): it reads the least
        MigrationInputs inputs =
            measure(
                src,
                req,
                slot.shareBytesPerSecond(),
                standing != null ? DirtyRateMeter.LEAST : longestDirtyRateRead(req));
        MigrationPlanner linkPlanner = calibration.planner(planner, srcEp.name(), dstEp.name());
        if (standing != null) {
          MigrationSettings stream = StandingCopy.streamSettings(req.settings());
          MigrationPlan plan = linkPlanner.plan(inputs, stream);
          listener.onPlan(plan);
          return runMove(
              connections,
              req.withSettings(stream),
              src,
              dst,
              plan,
              listener,
              handle,
              slot,
              Tuning.PRE_COPY,
              run -> run.holding(standing).execute());
        }
        TuningChoice choice = TuningChoice.choose(linkPlanner, inputs, req.settings());
        MigrationPlan plan = choice.plan();
        listener.onPlan(plan);
        if ((!choice.fits() && req.refuseInfeasible()) || handle.cancelRequested()) {
          boolean cancelled = handle.cancelRequested();
          return new MigrationOutcome(
              vm,
              Optional.of(srcEp.name()),
              false,
              Optional.of(cancelled ? FailureKind.CANCELLED : FailureKind.PLAN_MISSES_DEADLINE),
              cancelled
                  ? "cancelled by the caller before the copy started"
                  : "no permitted tuning completes in time" + marginNote() + ": " + choice.reason(),
              Duration.ZERO,
              Duration.ZERO,
              0,
              0,
              0,
              false,
              plan,
              Tuning.NONE,
              0);
        }
        MigrationOutcome out =
            runMove(
                connections,
                req.withSettings(choice.settings()),
                src,
                dst,
                plan,
                listener,
                handle,
                slot,
                choice.tuning(),
                MigrationRun::execute);
        calibration.record(
            srcEp.name(), dstEp.name(), out, linkPlanner, streamRate.bytesPerSecond());
        return out;
      }
    }
  }

  /**
   * Makes one {@link MigrationRun} of this engine, lets {@code body} run it, and keeps the move's
   * connections open until the run's late destination clean-up is over.
   */
  private MigrationOutcome runMove(
      RunConnections connections,
      MigrationRequest req,
      Hypervisor src,
      Hypervisor dst,
      MigrationPlan plan,
      EventRelay events,
      MigrationHandle handle,
      MoveSlots.Slot slot,
      Tuning tuning,
      Function<MigrationRun, MigrationOutcome> body) {
    MigrationRun run =
        new MigrationRun(
            req,
            src,
            dst,
            factory,
            plan,
            events,
            handle,
            clock,
            timings,
            limits.safetyMargin(),
            slot,
            tuning);
    MigrationOutcome out = body.apply(run);
    connections.closeAfter(run.destinationCleanup());
    return out;
  }

  private String marginNote() {
    return limits.safetyMargin().isZero()
        ? ""
        : " by the deadline less the engine's safety margin of "
            + limits.safetyMargin().toMillis()
            + " ms";
  }

  private HypervisorEndpoint known(String name, String role) {
    HypervisorEndpoint ep = hosts.get(name);
    if (ep == null) {
      throw new MigrationException(
          FailureKind.INVALID_REQUEST,
          "unknown "
              + role
              + " host '"
              + name
              + "'; known hosts: "
              + String.join(", ", hosts.keySet()));
    }
    return ep;
  }

  /**
   * The VM's UUID on the source; refuses a same-named VM that is not the one the caller asked for.
   */
  private static UUID identity(Hypervisor src, MigrationRequest req) {
    UUID found =
        src.uuid(req.vmName())
            .orElseThrow(
                () ->
                    new MigrationException(
                        FailureKind.VM_NOT_RUNNING,
                        "agent VM " + req.vmName() + " is not on host " + src.endpoint().name()));
    if (req.vmUuid().isPresent() && !req.vmUuid().get().equals(found)) {
      throw new MigrationException(
          FailureKind.INVALID_REQUEST,
          "the VM named "
              + req.vmName()
              + " on host "
              + src.endpoint().name()
              + " is "
              + found
              + ", not the requested "
              + req.vmUuid().get());
    }
    return found;
  }

  private static void requireRunning(Hypervisor src, String vm) {
    if (src.state(vm) != VmState.RUNNING) {
      throw new MigrationException(
          FailureKind.VM_NOT_RUNNING,
          "agent VM " + vm + " is not running on host " + src.endpoint().name());
    }
  }

  /**
   * The efficiency and set-up time the link from {@code source} to {@code destination} showed on
   * the last finished pre-copy move over it, which the next plan over it uses; empty before one.
   */
  public Optional<LinkFigures> linkFigures(String source, String destination) {
    return calibration.measured(source, destination);
  }

  /**
   * How long the dirty rate may be read, in wall time, its longer calculation included ({@link
   * DirtyRateMeter#measure}): a quarter of the time left until the deadline now (the zero-page
   * sample runs within it, during the longer calculation; a noisy reading is read longer where the
   * plan depends on it), at most {@link #LONGEST_DIRTY_RATE_READ}, never less than the least
   * measurement ({@link DirtyRateMeter#LEAST}).
   */
  private Duration longestDirtyRateRead(MigrationRequest req) {
    Duration quarter = Duration.between(clock.instant(), req.deadline()).dividedBy(4);
    if (quarter.compareTo(LONGEST_DIRTY_RATE_READ) > 0) {
      return LONGEST_DIRTY_RATE_READ;
    }
    return quarter.compareTo(DirtyRateMeter.LEAST) < 0 ? DirtyRateMeter.LEAST : quarter;
  }

  /**
   * The measured inputs, the dirty rate read for at most {@code longest}, with the time left after
   * measuring (1 ns when the deadline passed meanwhile).
   */
  private MigrationInputs measure(
      Hypervisor src, MigrationRequest req, long linkBytesPerSecond, Duration longest) {
    String vm = req.vmName();
    long ram = src.memoryBytes(vm);
    long disk =
        req.settings().copyStorage()
            ? src.workspaceDisk(vm).map(WorkspaceDisk::allocationBytes).orElse(0L)
            : 0;
    // the zero-page sample (1.9-4.1 s under load) runs while the dirty rate's longer calculation
    // does; the time both took is spent from the deadline (`left` below)
    GuestMeasurement guest = src.measureGuest(vm, DIRTY_RATE_WINDOW, linkBytesPerSecond, longest);
    long nonZero = Math.min(ram, Math.max(0, guest.nonZeroBytes()));
    DirtyRate dirty = guest.dirtyRate();
    long workingSet = Math.min(ram, dirty.workingSetBytes().orElse(ram));
    Duration left = Duration.between(clock.instant(), req.deadline());
    if (left.isNegative() || left.isZero()) {
      left = Duration.ofNanos(1);
    }
    return new MigrationInputs(
        ram,
        dirty.bytesPerSecond(),
        Math.max(1, linkBytesPerSecond),
        disk,
        left,
        nonZero,
        workingSet,
        Math.min(ram, dirty.changedBytes()),
        dirty.changedOver(),
        guest.vcpuBusyShare());
  }
}
