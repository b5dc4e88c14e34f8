package io.spotnest.migration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The engine's per-host and per-link limits of concurrent moves, and the bandwidth each move on a
 * link gets: the link's bandwidth divided by the moves on it, re-computed whenever one starts or
 * ends (a move alone on its link runs at the caller's cap, or unlimited). The new figure is
 * published on each {@link Slot}; the move's own watch loop applies it to libvirt, so no call
 * crosses from one move's thread to another's connection.
 */
final class MoveSlots {

  /** libvirt's largest migration bandwidth for QEMU (INT64_MAX bytes/s in MiB/s): "unlimited". */
  static final long UNLIMITED_MIB_S = Long.MAX_VALUE >> 20;

  private final EngineLimits limits;
  private final Clock clock;
  private final Map<String, Integer> movesOnHost = new HashMap<>();

  /** link key -> slots on it, in start order. */
  private final Map<String, List<Slot>> onLink = new HashMap<>();

  MoveSlots(EngineLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /**
   * A slot for moving {@code vm} from {@code src} to {@code dst}: at once when both hosts and the
   * link are under their limits, else after waiting for one to come free, at most the configured
   * queue wait and never past {@code waitUntil}; then refused with {@link
   * FailureKind#LIMIT_REACHED} naming the limit, or with {@link FailureKind#CANCELLED} when {@code
   * cancelled} turns true meanwhile.
   *
   * @param linkBytesPerSecond the link's measured bandwidth (shared among the moves on it)
   * @param capMiBps the caller's own bandwidth cap for this move, 0 for none
   */
  synchronized Slot acquire(
      String src,
      String dst,
      String vm,
      long linkBytesPerSecond,
      long capMiBps,
      Instant waitUntil,
      BooleanSupplier cancelled) {
    Instant queueEnd = clock.instant().plus(limits.queueWait());
    Instant until = queueEnd.isBefore(waitUntil) ? queueEnd : waitUntil;
    while (true) {
      String full = full(src, dst);
      if (full == null) {
        return admit(src, dst, vm, linkBytesPerSecond, capMiBps);
      }
      if (cancelled.getAsBoolean()) {
        throw new MigrationException(
            FailureKind.CANCELLED,
            "move of " + vm + " cancelled by the caller while waiting for a slot (" + full + ")");
      }
      Duration left = Duration.between(clock.instant(), until);
      if (left.isNegative() || left.isZero()) {
        throw new MigrationException(
            FailureKind.LIMIT_REACHED,
            "move of "
                + vm
                + " from "
                + src
                + " to "
                + dst
                + " refused: "
                + full
                + (limits.queueWait().isZero()
                    ? ""
                    : " and no slot came free within "
                        + waitedFor(limits.queueWait(), waitUntil, queueEnd)));
      }
      try {
        wait(Math.max(1, Math.min(50, left.toMillis())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MigrationException(
            FailureKind.CANCELLED, "interrupted while waiting for a slot for " + vm);
      }
    }
  }

  /**
   * A slot for a move libvirt already runs (attached after a restart): counted whatever the limits,
   * since the move exists; its bandwidth share is computed like any other's.
   */
  synchronized Slot admitRunning(
      String src, String dst, String vm, long linkBytesPerSecond, long capMiBps) {
    return admit(src, dst, vm, linkBytesPerSecond, capMiBps);
  }

  private static String waitedFor(Duration queueWait, Instant waitUntil, Instant queueEnd) {
    return queueEnd.isAfter(waitUntil)
        ? "the time its deadline leaves"
        : queueWait.toMillis() + " ms";
  }

  /** What is full, as a sentence, or null when the move fits. */
  private String full(String src, String dst) {
    for (String h : List.of(src, dst)) {
      int n = movesOnHost.getOrDefault(h, 0);
      if (n >= limits.movesPerHost()) {
        return "host "
            + h
            + " already takes part in "
            + n
            + " moves (limit movesPerHost="
            + limits.movesPerHost()
            + ")";
      }
    }
    int n = onLink.getOrDefault(link(src, dst), List.of()).size();
    if (n >= limits.movesPerLink()) {
      return "the link "
          + src
          + "-"
          + dst
          + " already carries "
          + n
          + " moves (limit movesPerLink="
          + limits.movesPerLink()
          + ")";
    }
    return null;
  }

  private Slot admit(String src, String dst, String vm, long linkBytesPerSecond, long capMiBps) {
    movesOnHost.merge(src, 1, Integer::sum);
    movesOnHost.merge(dst, 1, Integer::sum);
    Slot s = new Slot(src, dst, vm, linkBytesPerSecond, capMiBps);
    onLink.computeIfAbsent(link(src, dst), k -> new ArrayList<>()).add(s);
    reshare(link(src, dst));
    return s;
  }

  private synchronized void release(Slot s) {
    List<Slot> slots = onLink.get(link(s.src, s.dst));
    if (slots == null || !slots.remove(s)) {
      return;
    }
    movesOnHost.merge(s.src, -1, Integer::sum);
    movesOnHost.merge(s.dst, -1, Integer::sum);
    reshare(link(s.src, s.dst));
    notifyAll();
  }

  /** Divides the link's bandwidth (the latest measurement of it) among the moves on it. */
  private void reshare(String link) {
    List<Slot> slots = onLink.getOrDefault(link, List.of());
    if (slots.isEmpty()) {
      onLink.remove(link);
      return;
    }
    long linkBps = slots.get(slots.size() - 1).linkBytesPerSecond;
    for (Slot s : slots) {
      s.shareBytesPerSecond = linkBps / slots.size();
      long share = Math.max(1, s.shareBytesPerSecond >> 20);
      if (slots.size() == 1) {
        s.mibPerSecond = s.capMiBps > 0 ? s.capMiBps : UNLIMITED_MIB_S;
      } else {
        s.mibPerSecond = s.capMiBps > 0 ? Math.min(s.capMiBps, share) : share;
      }
    }
  }

  private static String link(String a, String b) {
    return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
  }

  /** One move's place; closing it frees the place and re-shares the link. */
  final class Slot implements AutoCloseable {
    private final String src;
    private final String dst;
    private final String vm;
    private final long linkBytesPerSecond;
    private final long capMiBps;
    private volatile long mibPerSecond;
    private volatile long shareBytesPerSecond;

    private Slot(String src, String dst, String vm, long linkBytesPerSecond, long capMiBps) {
      this.src = src;
      this.dst = dst;
      this.vm = vm;
      this.linkBytesPerSecond = linkBytesPerSecond;
      this.capMiBps = capMiBps;
    }

    String vm() {
      return vm;
    }

    /**
     * The bandwidth this move should run at now, in MiB/s ({@link #UNLIMITED_MIB_S} when alone and
     * uncapped).
     */
    long mibPerSecond() {
      return mibPerSecond;
    }

    /** This move's share of the link, in bytes/s (what the plan may count on). */
    long shareBytesPerSecond() {
      return shareBytesPerSecond;
    }

    /**
     * The settings for libvirt's call at bandwidth {@code mib} (one read of {@link
     * #mibPerSecond()}).
     */
    static MigrationSettings at(MigrationSettings s, long mib) {
      return mib == UNLIMITED_MIB_S
          ? s.withBandwidthMiBps(0)
          : s.withBandwidthMiBps(Math.min(mib, 1_000_000));
    }

    @Override
    public void close() {
      release(this);
    }
  }
}
