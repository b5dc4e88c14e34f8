package io.spotnest.jenkins;

import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.port.ObservedHost;
import java.time.Duration;
import java.util.List;

/** Waits, in the wiring tests, for the hosts a fleet lists once their launches are known. */
final class ListedHosts {
  private ListedHosts() {}

  /**
   * The fleet's hosts once it lists exactly {@code count}, none of an unknown launch.
   *
   * @throws AssertionError when that takes longer than {@code within}
   */
  static List<ObservedHost> await(Orchestrator.Ports ports, int count, Duration within)
      throws InterruptedException {
    long until = System.nanoTime() + within.toNanos();
    List<ObservedHost> hosts = List.of();
    while (System.nanoTime() < until) {
      hosts = ports.fleet().list();
      if (hosts.size() == count
          && hosts.stream().noneMatch(h -> h.launchKey().startsWith("unknown:"))) {
        return hosts;
      }
      Thread.sleep(10);
    }
    throw new AssertionError(
        count + " host(s) were not listed within " + within.toSeconds() + " s: " + hosts);
  }
}
