package io.spotnest.orchestrator.journal;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.orchestrator.lifecycle.HostPhase;
import io.spotnest.orchestrator.model.AgentBootSpec;
import io.spotnest.orchestrator.model.ClosureKind;
import io.spotnest.orchestrator.model.Market;
import io.spotnest.orchestrator.model.MemoryBacking;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.strategy.fleet.CopyRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One durable transition of the orchestrator's model. Every side effect (launch, boot, move,
 * terminate) is preceded by the record that announces it, so a restart can tell what may have
 * happened. Nullable fields are noted.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = JournalRecord.AgentRequested.class, name = "agent-requested"),
  @JsonSubTypes.Type(value = JournalRecord.AgentPlaced.class, name = "agent-placed"),
  @JsonSubTypes.Type(value = JournalRecord.AgentPhaseChanged.class, name = "agent-phase"),
  @JsonSubTypes.Type(value = JournalRecord.AgentLost.class, name = "agent-lost"),
  @JsonSubTypes.Type(value = JournalRecord.AgentAdopted.class, name = "agent-adopted"),
  @JsonSubTypes.Type(
      value = JournalRecord.HostLaunchRequested.class,
      name = "host-launch-requested"),
  @JsonSubTypes.Type(value = JournalRecord.HostLaunched.class, name = "host-launched"),
  @JsonSubTypes.Type(value = JournalRecord.HostPhaseChanged.class, name = "host-phase"),
  @JsonSubTypes.Type(
      value = JournalRecord.HostTerminationRequested.class,
      name = "host-termination-requested"),
  @JsonSubTypes.Type(value = JournalRecord.NoticeRecorded.class, name = "notice"),
  @JsonSubTypes.Type(value = JournalRecord.MoveStarted.class, name = "move-started"),
  @JsonSubTypes.Type(value = JournalRecord.MoveFinished.class, name = "move-finished"),
  @JsonSubTypes.Type(value = JournalRecord.OperatorRequested.class, name = "operator-request"),
  @JsonSubTypes.Type(value = JournalRecord.PoolClosed.class, name = "pool-closed"),
  @JsonSubTypes.Type(value = JournalRecord.CopyStarted.class, name = "copy-started"),
  @JsonSubTypes.Type(value = JournalRecord.CopyDropped.class, name = "copy-dropped"),
  @JsonSubTypes.Type(value = JournalRecord.CopyEnded.class, name = "copy-ended")
})
public sealed interface JournalRecord {

  /**
   * A build wants an agent VM; {@code replaces} (nullable) names the lost agent it is requeued for;
   * {@code template} and {@code marketPolicy} (nullable) say what the caller asked for; {@code
   * boot} (nullable in older journals: name and memory only) is what its VM boots with. It holds a
   * reference to the agent's secret, never the secret. {@code copyRequest} is what the caller said
   * about a standing copy (issue 12; see {@link #wish()}); {@code standingCopy} is true exactly
   * when it asked, as older journals wrote the wish (absent in the oldest: no wish).
   */
  record AgentRequested(
      String agentId,
      long ramMiB,
      Duration expectedBuild,
      String replaces,
      String template,
      String marketPolicy,
      AgentBootSpec boot,
      boolean standingCopy,
      CopyRequest copyRequest)
      implements JournalRecord {
    public AgentRequested {
      if (copyRequest != null) {
        standingCopy = copyRequest == CopyRequest.ASKED;
      }
    }

    public AgentRequested(String agentId, long ramMiB, Duration expectedBuild, String replaces) {
      this(agentId, ramMiB, expectedBuild, replaces, null, null, null, false, null);
    }

    /** A request saying {@code copy} about a standing copy (journaled with its yes/no form). */
    public AgentRequested(
        String agentId,
        long ramMiB,
        Duration expectedBuild,
        String replaces,
        String template,
        String marketPolicy,
        AgentBootSpec boot,
        CopyRequest copy) {
      this(
          agentId,
          ramMiB,
          expectedBuild,
          replaces,
          template,
          marketPolicy,
          boot,
          false,
          Objects.requireNonNull(copy, "copy"));
    }

    /**
     * What the request said: its {@code copyRequest}, or, in a record journaled before the wish had
     * three values, its yes/no wish ({@link CopyRequest#ofWish}: no was never copied, so refused).
     */
    public CopyRequest wish() {
      return copyRequest != null ? copyRequest : CopyRequest.ofWish(standingCopy);
    }

    /** A request without a wish for a standing copy. */
    public AgentRequested(
        String agentId,
        long ramMiB,
        Duration expectedBuild,
        String replaces,
        String template,
        String marketPolicy,
        AgentBootSpec boot) {
      this(agentId, ramMiB, expectedBuild, replaces, template, marketPolicy, boot, false, null);
    }
  }

  /** The agent will run on {@code hostId} (decided, not yet booted). */
  record AgentPlaced(String agentId, String hostId) implements JournalRecord {}

  /**
   * The agent steps to {@code phase} (BOOTING is written before the VM is booted). {@code memory}
   * (nullable: older journals, and every step but BOOTING) is where the VM booted on BOOTING keeps
   * its memory, as the {@code AgentVms} port boots it ({@code AgentVms#memory}); absent on BOOTING
   * it reads as {@link MemoryBacking#RAM}.
   */
  record AgentPhaseChanged(
      String agentId, AgentPhase phase, Instant at, String reason, MemoryBacking memory)
      implements JournalRecord {
    public AgentPhaseChanged(String agentId, AgentPhase phase, Instant at, String reason) {
      this(agentId, phase, at, reason, null);
    }
  }

  /**
   * The agent's VM is lost with its build; the build is requeued as agent {@code requeuedAs}.
   * {@code at} is when the loss was journaled; absent in older journals, it reads as null
   * (unknown).
   */
  record AgentLost(String agentId, String hostId, String reason, String requeuedAs, Instant at)
      implements JournalRecord {}

  /**
   * At a restart the agent's VM was found running on {@code hostId}: the model takes it as it is.
   */
  record AgentAdopted(String agentId, String hostId, String reason) implements JournalRecord {}

  /**
   * A host will be launched with the caller key {@code launchKey} at {@code at} (written before the
   * call).
   */
  record HostLaunchRequested(
      String launchKey, PoolKey pool, Market market, long capacityMiB, Instant at)
      implements JournalRecord {}

  /** The host launched with {@code launchKey} is {@code hostId} and ready. */
  record HostLaunched(String launchKey, String hostId) implements JournalRecord {}

  /** The host steps to {@code phase}. */
  record HostPhaseChanged(String hostId, HostPhase phase, String reason) implements JournalRecord {}

  /**
   * We will terminate the host (so its end is not a reclamation); written before the terminate
   * call.
   */
  record HostTerminationRequested(String hostId, String reason) implements JournalRecord {}

  /** The provider will reclaim the host at {@code deadline}: it drains (forced) from now on. */
  record NoticeRecorded(String hostId, Instant deadline) implements JournalRecord {}

  /**
   * A live migration will start (written before the mover is asked); {@code at} and {@code reason}
   * (nullable in older journals) say when and why.
   */
  record MoveStarted(
      String moveId,
      String agentId,
      String from,
      String to,
      Instant deadline,
      boolean forced,
      Instant at,
      String reason)
      implements JournalRecord {
    public MoveStarted(
        String moveId, String agentId, String from, String to, Instant deadline, boolean forced) {
      this(moveId, agentId, from, to, deadline, forced, null, null);
    }
  }

  /**
   * The move ended with the VM running on {@code runningOn} (the destination on success, else the
   * source); {@code took} and {@code paused} (nullable: unknown) are the mover's measures of the
   * run and its switch-over.
   */
  record MoveFinished(
      String moveId, String runningOn, String detail, Duration took, Duration paused)
      implements JournalRecord {
    public MoveFinished(String moveId, String runningOn, String detail) {
      this(moveId, runningOn, detail, null, null);
    }
  }

  /**
   * An operator asked for {@code action} on {@code target} (an agent to migrate now, a host to
   * drain); written before anything is done about it, so the request survives a restart.
   */
  record OperatorRequested(String requestId, OperatorAction action, String target, Instant at)
      implements JournalRecord {}

  /**
   * The spot pool takes none of our launches before {@code until} (absolute, so a restart keeps it
   * closed only as long as it was meant to be): a launch there failed, or a burst of reclamations
   * is under way. With {@code drainBy} (nullable) it is a burst drain: every live host of the pool
   * without a notice drains from now on, its agents to leave by {@code drainBy}. {@code at} is when
   * the closure was journaled; absent in older journals, it reads as null (unknown). {@code kind}
   * says what closed it; absent in older journals, it reads as {@link ClosureKind#BURST_DRAIN} when
   * there is a {@code drainBy} (only burst drains had one) and {@link ClosureKind#LAUNCH_FAILED}
   * otherwise (the only other source there was).
   */
  record PoolClosed(
      PoolKey pool, Instant until, String reason, Instant drainBy, Instant at, ClosureKind kind)
      implements JournalRecord {
    public PoolClosed {
      if (kind == null) { // an older journal: only a burst drain ever had a drain deadline
        kind = drainBy == null ? ClosureKind.LAUNCH_FAILED : ClosureKind.BURST_DRAIN;
      }
    }

    /** A closure after a failed launch, of unknown time. */
    public PoolClosed(PoolKey pool, Instant until, String reason) {
      this(pool, until, reason, null, null, ClosureKind.LAUNCH_FAILED);
    }

    /** A burst drain, of unknown time. */
    public PoolClosed(PoolKey pool, Instant until, String reason, Instant drainBy) {
      this(pool, until, reason, drainBy, null, ClosureKind.BURST_DRAIN);
    }
  }

  /** What an operator may ask for. */
  enum OperatorAction {
    /** Live-migrate one agent off its host now (voluntary lane). */
    MIGRATE_NOW,
    /** Move every agent off a host and place none there. */
    DRAIN_HOST
  }

  /**
   * A standing copy of {@code agentId} (on {@code from}) will be kept on {@code backup}, where its
   * memory is reserved (written before the mover is asked). A move of the agent later consumes it:
   * a move to {@code backup} is its flush. {@code fileStandby}: the backup holds the standby's
   * memory in a file (the mover is ordered so); absent in older journals, it reads as false (RAM,
   * counted in full).
   */
  record CopyStarted(
      String copyId,
      String agentId,
      String from,
      String backup,
      Instant at,
      String reason,
      boolean fileStandby)
      implements JournalRecord {
    /** A copy whose standby is in the backup's RAM. */
    public CopyStarted(
        String copyId, String agentId, String from, String backup, Instant at, String reason) {
      this(copyId, agentId, from, backup, at, reason, false);
    }
  }

  /**
   * The standing copy will be stopped (written before the mover is asked): the VM stays where it
   * runs, the backup's reservation is freed.
   */
  record CopyDropped(String copyId, String reason) implements JournalRecord {}

  /**
   * The standing copy's stream ended by itself with the VM running on {@code runningOn}: the backup
   * (the guest converged: a finished move) or the source.
   */
  record CopyEnded(String copyId, String runningOn, String detail) implements JournalRecord {}
}
