package io.spotnest.strategy.sim;

import io.spotnest.strategy.fleet.CopyRequest;

/**
 * A build as the strategies see it in a run: what was asked for (its agent's size, when it arrived,
 * its standing-copy wish), not how long it will run. Its true length is the run's {@link
 * TrueLengths}, which only the simulator and the oracle hold; the others are told lengths by the
 * run's {@link BuildLengthEstimate}.
 */
record BuildRequest(int id, double arrivalMin, double ramGiB, CopyRequest copy) {

  /** Whether it asked for a standing copy. */
  boolean standingCopy() {
    return copy == CopyRequest.ASKED;
  }

  /** Whether a fleet that also copies builds that did not ask ({@code unasked}) may copy it. */
  boolean mayBeCopied(boolean unasked) {
    return copy.mayBeCopied(unasked);
  }
}
