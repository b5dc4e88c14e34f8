package io.spotnest.orchestrator.model;

import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.lifecycle.AgentPhase;
import io.spotnest.strategy.fleet.CopyMode;
import io.spotnest.strategy.fleet.CopyRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An agent VM as the orchestrator's model holds it.
 *
 * @param id the agent (and its VM's) name
 * @param ramMiB the VM's memory
 * @param expectedBuild the expected build duration (Jenkins' estimate)
 * @param phase where it is in its life
 * @param hostId the host it runs on or is placed on; null while requested or gone
 * @param busySince when its current build started; null unless busy (or migrating while busy)
 * @param replaces the lost agent this one was requeued for, or null
 * @param policy which capacity it may run on
 * @param boot what its VM boots with (no secret, only a reference to it)
 * @param copy what its request said about a standing copy (issue 12): the fleet's {@link CopyMode}
 *     decides when an agent that asked gets one, and one that left it to the fleet only in {@link
 *     CopyMode#AT_RISK}; one that refused never does
 * @param memory where its VM's memory lives as journaled when it booted ({@link
 *     JournalRecord.AgentPhaseChanged#memory}) or after a file-backed standby's flush; {@link
 *     MemoryBacking#RAM} when not known
 */
public record Agent(
    String id,
    long ramMiB,
    Duration expectedBuild,
    AgentPhase phase,
    String hostId,
    Instant busySince,
    String replaces,
    MarketPolicy policy,
    AgentBootSpec boot,
    CopyRequest copy,
    MemoryBacking memory) {
  public Agent {
    Objects.requireNonNull(memory, "memory");
    Objects.requireNonNull(copy, "copy");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(boot, "boot");
    Objects.requireNonNull(expectedBuild, "expectedBuild");
    Objects.requireNonNull(phase, "phase");
    if (ramMiB <= 0) {
      throw new IllegalArgumentException("ramMiB must be positive, got " + ramMiB);
    }
  }

  /** The same agent in {@code next} phase; throws when the life cycle forbids the step. */
  public Agent to(AgentPhase next) {
    return new Agent(
        id,
        ramMiB,
        expectedBuild,
        phase.to(next),
        hostId,
        busySince,
        replaces,
        policy,
        boot,
        copy,
        memory);
  }

  public Agent on(String host) {
    return new Agent(
        id, ramMiB, expectedBuild, phase, host, busySince, replaces, policy, boot, copy, memory);
  }

  public Agent busySince(Instant at) {
    return new Agent(
        id, ramMiB, expectedBuild, phase, hostId, at, replaces, policy, boot, copy, memory);
  }

  /** The same agent, its VM's memory now {@code where}. */
  public Agent withMemory(MemoryBacking where) {
    return new Agent(
        id, ramMiB, expectedBuild, phase, hostId, busySince, replaces, policy, boot, copy, where);
  }

  /** Whether its request asked for a standing copy. */
  public boolean standingCopy() {
    return copy == CopyRequest.ASKED;
  }

  /** True when a VM of this agent may be running (booting, online, busy, migrating, draining). */
  public boolean mayRun() {
    return switch (phase) {
      case BOOTING, ONLINE, BUSY, MIGRATING, DRAINING -> true;
      default -> false;
    };
  }
}
