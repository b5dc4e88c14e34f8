package io.spotnest.migration;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples, until closed, on how many hosts each VM runs (the most copies seen running at once) and
 * how many of the VMs have a migration job on each host (the most seen at once). A host that does
 * not answer is asked again at the next sample (its connection re-opened); the sampler never dies
 * silently: its count of samples shows it kept going.
 */
final class RunningCopies implements AutoCloseable {

  private final MigrationEngine engine;
  private final List<String> hosts;
  private final List<String> vms;
  private final Map<String, Integer> most = new ConcurrentHashMap<>();
  private final Map<String, Integer> mostJobs = new ConcurrentHashMap<>();
  private final AtomicLong samples = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  RunningCopies(MigrationEngine engine, List<String> hosts, String... vms) {
    this.engine = engine;
    this.hosts = List.copyOf(hosts);
    this.vms = List.of(vms);
    this.vms.forEach(v -> most.put(v, 0));
    this.hosts.forEach(h -> mostJobs.put(h, 0));
    thread = DaemonThreads.start("running-copies", this::sample);
  }

  private void sample() {
    Hypervisor[] open = new Hypervisor[hosts.size()];
    try {
      while (running.get()) {
        int[] jobs = new int[hosts.size()];
        for (String vm : vms) {
          int copies = 0;
          for (int i = 0; i < hosts.size(); i++) {
            try {
              if (open[i] == null) {
                open[i] = engine.connect(hosts.get(i));
              }
              VmStatus st = open[i].status(vm);
              if (st.state() == VmState.RUNNING) {
                copies++;
              }
              if (st.present() && open[i].jobStats(vm).active()) {
                jobs[i]++;
              }
            } catch (RuntimeException e) {
              closeQuietly(open[i]);
              open[i] = null; // not answering: asked again next time
            }
          }
          int c = copies;
          most.merge(vm, c, Math::max);
        }
        for (int i = 0; i < hosts.size(); i++) {
          mostJobs.merge(hosts.get(i), jobs[i], Math::max);
        }
        samples.incrementAndGet();
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    } finally {
      for (Hypervisor h : open) {
        closeQuietly(h);
      }
    }
  }

  private static void closeQuietly(Hypervisor h) {
    if (h != null) {
      try {
        h.close();
      } catch (RuntimeException ignored) {
        // already broken
      }
    }
  }

  /** The most hosts the VM was seen running on at once. */
  int most(String vm) {
    return most.get(vm);
  }

  /** The most of the VMs seen with a migration job on the host at once. */
  int mostJobs(String host) {
    return mostJobs.get(host);
  }

  long samples() {
    return samples.get();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(10_000);
  }
}
