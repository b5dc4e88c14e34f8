package io.spotnest.strategy.sim;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The true length of every build of one run, by the {@link BuildRequest} the strategies see of it:
 * held by the simulator, handed to the oracle ({@link Clairvoyant}) and, in its hindsight mode
 * only, to the run's {@link BuildLengthEstimate} (the other modes are told the length of a build
 * when it finishes), and reachable by no other strategy.
 */
final class TrueLengths {
  private final Map<BuildRequest, Double> minutes = new IdentityHashMap<>();

  /** Takes {@code build}'s length; returns the request the strategies will see of it. */
  BuildRequest add(Build build) {
    BuildRequest r = new BuildRequest(build.id(), build.arrivalMin(), build.ramGiB(), build.copy());
    minutes.put(r, build.durationMin());
    return r;
  }

  /** The true length of {@code build}, minutes. */
  double minutes(BuildRequest build) {
    Double m = minutes.get(build);
    if (m == null) {
      throw new IllegalStateException("build " + build.id() + " is not of this run");
    }
    return m;
  }

  /** The true length of {@code build}, to the millisecond. */
  Duration of(BuildRequest build) {
    return Duration.ofMillis(Math.round(minutes(build) * 60_000));
  }

  /** What {@code agent} still has to run, seconds (negative once it has run its length). */
  double remainingSeconds(SimAgent agent) {
    return minutes(agent.build) * 60 - agent.progressSeconds;
  }
}
