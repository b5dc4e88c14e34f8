package io.spotnest.testbed.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotnest.testbed.DaemonThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Polls a Jenkins node's state ({@code /computer/NAME/api/json}) at a fixed period on a thread of
 * its own until stopped, and keeps every answer: whether the controller ever saw the node offline
 * while something (a live migration) happened to it.
 */
public final class NodeWatch implements AutoCloseable {

  /** One poll: when (monotonic nanos), whether the node was offline and why, or the error. */
  public record Sample(long nanos, boolean offline, String reason, String error) {}

  /** What the watch saw. */
  public record Summary(int samples, List<Sample> offline, List<Sample> errors, long maxGapMs) {
    @Override
    public String toString() {
      return samples
          + " polls, "
          + offline.size()
          + " offline, "
          + errors.size()
          + " failed, longest gap between polls "
          + maxGapMs
          + " ms"
          + (offline.isEmpty() ? "" : "; first offline: " + offline.get(0))
          + (errors.isEmpty() ? "" : "; first error: " + errors.get(0));
    }
  }

  private final List<Sample> samples = new CopyOnWriteArrayList<>();
  private final Thread poller;
  private volatile boolean running = true;

  /** Starts polling {@code node} through {@code jenkins} (a session of its own) every period. */
  public NodeWatch(JenkinsTooling jenkins, String node, Duration period) {
    poller =
        DaemonThreads.start(
            "node-watch-" + node,
            () -> {
              while (running) {
                long t = System.nanoTime();
                try {
                  JsonNode c = jenkins.computer(node);
                  boolean offline =
                      c.path("offline").asBoolean(true) || c.path("temporarilyOffline").asBoolean();
                  samples.add(new Sample(t, offline, c.path("offlineCauseReason").asText(), null));
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  samples.add(new Sample(t, false, null, String.valueOf(e)));
                }
                try {
                  Thread.sleep(period.toMillis());
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
  }

  /** Stops polling and sums up what was seen. */
  public Summary stop() throws InterruptedException {
    running = false;
    poller.join(Duration.ofSeconds(70).toMillis());
    long maxGap = 0;
    for (int i = 1; i < samples.size(); i++) {
      maxGap = Math.max(maxGap, samples.get(i).nanos() - samples.get(i - 1).nanos());
    }
    return new Summary(
        samples.size(),
        samples.stream().filter(Sample::offline).toList(),
        samples.stream().filter(s -> s.error() != null).toList(),
        maxGap / 1_000_000);
  }

  @Override
  public void close() throws InterruptedException {
    if (running) {
      stop();
    }
  }
}
