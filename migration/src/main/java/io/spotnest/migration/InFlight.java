package io.spotnest.migration;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The engine's migrations in flight: at most one per VM, and the memory and disk each has reserved
 * on its destination, so that two moves to one host cannot both pass the room check.
 */
final class InFlight {

  private final Set<String> vms = new HashSet<>();

  /** host name -> VM name -> reserved MiB. */
  private final Map<String, Map<String, Long>> reserved = new HashMap<>();

  /** host name -> VM name -> reserved disk bytes. */
  private final Map<String, Map<String, Long>> reservedDisk = new HashMap<>();

  /**
   * Claims the VM; fails when a migration of it is already in flight. Release with the returned
   * handle.
   */
  synchronized Claim claim(String vm) {
    if (!vms.add(vm)) {
      throw new MigrationException(
          FailureKind.ALREADY_MIGRATING,
          "agent VM " + vm + " is already being migrated; refusing a second request");
    }
    return new Claim(vm);
  }

  /**
   * Reserves {@code needMib} for {@code vm} on the destination when it fits: the host's capacity
   * minus the memory of its active VMs (a VM holding a reservation counted once) minus the other
   * reservations, and its free memory minus the other reservations; and {@code needDiskBytes} of
   * the host's storage pool, its free space minus the other moves' disk reservations.
   */
  synchronized void reserve(
      HypervisorEndpoint host,
      String vm,
      long needMib,
      Map<String, Long> activeMib,
      LongSupplier freeMib,
      long needDiskBytes,
      LongSupplier freeDiskBytes) {
    Map<String, Long> onHost = reserved.computeIfAbsent(host.name(), h -> new HashMap<>());
    long reservedElsewhere =
        onHost.entrySet().stream()
            .filter(e -> !e.getKey().equals(vm))
            .mapToLong(Map.Entry::getValue)
            .sum();
    long used =
        activeMib.entrySet().stream()
            .filter(e -> !onHost.containsKey(e.getKey()))
            .mapToLong(Map.Entry::getValue)
            .sum();
    long offered = host.capacityMib() - used - reservedElsewhere;
    long free = freeMib.getAsLong() - reservedElsewhere;
    if (needMib > offered || needMib > free) {
      throw new MigrationException(
          FailureKind.NO_ROOM,
          String.format(
              "destination %s has no room for %s: it needs %d MiB, the host offers %d MiB more (capacity %d MiB, "
                  + "%d MiB reserved by moves in flight) and has %d MiB free",
              host.name(),
              vm,
              needMib,
              Math.max(0, offered),
              host.capacityMib(),
              reservedElsewhere,
              Math.max(0, free)));
    }
    Map<String, Long> diskOnHost = reservedDisk.computeIfAbsent(host.name(), h -> new HashMap<>());
    long diskElsewhere =
        diskOnHost.entrySet().stream()
            .filter(e -> !e.getKey().equals(vm))
            .mapToLong(Map.Entry::getValue)
            .sum();
    long diskFree = needDiskBytes == 0 ? 0 : freeDiskBytes.getAsLong() - diskElsewhere;
    if (needDiskBytes > diskFree) {
      throw new MigrationException(
          FailureKind.NO_ROOM,
          String.format(
              "destination %s has no disk room for %s: its overlay needs %d MiB, the pool has %d MiB free after %d MiB "
                  + "reserved by moves in flight",
              host.name(),
              vm,
              needDiskBytes >> 20,
              Math.max(0, diskFree) >> 20,
              diskElsewhere >> 20));
    }
    onHost.put(vm, needMib);
    diskOnHost.put(vm, needDiskBytes);
  }

  private synchronized void release(String vm) {
    vms.remove(vm);
    reserved.values().forEach(m -> m.remove(vm));
    reservedDisk.values().forEach(m -> m.remove(vm));
  }

  /** A VM's claim; closing it ends the exclusion and frees its reservation. */
  final class Claim implements AutoCloseable {
    private final String vm;

    private Claim(String vm) {
      this.vm = vm;
    }

    @Override
    public void close() {
      release(vm);
    }
  }
}
