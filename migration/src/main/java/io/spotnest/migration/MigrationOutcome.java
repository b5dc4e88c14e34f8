package io.spotnest.migration;

import java.time.Duration;
import java.util.Optional;

/**
 * How a migration ended.
 *
 * @param vmName the agent VM
 * @param runningOn the host the VM runs on afterwards (the destination on success, normally the
 *     source otherwise; empty if it runs nowhere, which the message then explains)
 * @param success whether the VM now runs on the destination
 * @param failure why not (empty on success)
 * @param message human-readable detail
 * @param total wall time of the migration
 * @param downtime the guest's pause at switch-over, as QEMU measured it (zero when unknown)
 * @param memoryBytes memory bytes sent
 * @param diskBytes overlay bytes copied (measured as the destination overlay's allocation right
 *     after the switch)
 * @param iterations memory passes
 * @param postCopy whether it switched to post-copy
 * @param plan the plan it was started with
 * @param tuning the tuning the engine chose and ran ({@link Tuning#NONE} when refused before the
 *     copy)
 * @param postCopyResumes how many times a post-copy that broke was resumed with libvirt's post-copy
 *     resume (calls made; 0 when it never broke)
 */
public record MigrationOutcome(
    String vmName,
    Optional<String> runningOn,
    boolean success,
    Optional<FailureKind> failure,
    String message,
    Duration total,
    Duration downtime,
    long memoryBytes,
    long diskBytes,
    long iterations,
    boolean postCopy,
    MigrationPlan plan,
    Tuning tuning,
    int postCopyResumes) {

  @Override
  public String toString() {
    return String.format(
        "%s %s %.2f s, %s, downtime %d ms, %d MiB memory + %d MiB disk, %d passes%s%s%s",
        vmName,
        runningOn
            .map(h -> (success ? "migrated" : "stayed") + " on " + h + " in")
            .orElse("runs on no host after"),
        total.toMillis() / 1000.0,
        tuning.label(),
        downtime.toMillis(),
        memoryBytes >> 20,
        diskBytes >> 20,
        iterations,
        postCopy ? ", post-copy" : "",
        postCopyResumes > 0 ? " resumed " + postCopyResumes + "x" : "",
        success ? "" : " (" + failure.map(Enum::name).orElse("?") + ": " + message + ")");
  }
}
