package io.spotnest.migration;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A controller in a JVM of its own, for the lab test that kills it with SIGKILL mid-migration:
 * starts moving a VM from host a to host b and prints {@code COPYING} once the copy runs, then
 * waits for the outcome.
 *
 * <p>Arguments: VM name, deadline (epoch ms), then name, client URI and peer URI of host a, then of
 * host b.
 */
final class ControllerChild {

  private ControllerChild() {}

  public static void main(String[] args) throws Exception {
    String vm = args[0];
    Instant deadline = Instant.ofEpochMilli(Long.parseLong(args[1]));
    HypervisorEndpoint a = new HypervisorEndpoint(args[2], args[3], args[4], 1024);
    HypervisorEndpoint b = new HypervisorEndpoint(args[5], args[6], args[7], 1024);
    MigrationEngine engine =
        new MigrationEngine(List.of(a, b), new MigrationPlanner(0.8, Duration.ofMillis(500)));
    // 4 MiB/s and no auto-converge: the copy outlives this JVM
    MigrationSettings slow =
        MigrationSettings.defaults().withBandwidthMiBps(4).withAutoConverge(false);
    MigrationHandle h =
        engine.start(
            new MigrationRequest(vm, a.name(), b.name(), 100L << 20, deadline, slow, false),
            new MigrationListener() {
              @Override
              public void onProgress(MigrationProgress p) {
                if (p.memoryProcessed() > (4L << 20)) {
                  System.out.println("COPYING");
                  System.out.flush();
                }
              }
            });
    System.out.println("OUTCOME " + h.outcome().get());
  }
}
