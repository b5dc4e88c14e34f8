package io.spotnest.jenkins;

/**
 * One label's load as Jenkins' provisioner snapshot shows it: builds waiting, executors free or not
 * yet online, and executors already planned (earlier rounds, and earlier strategies this round). An
 * agent that is not online yet counts as coming, connecting or not: a SpotNest agent's VM boots for
 * a minute or more after its launch has returned, and only then dials in.
 */
record LabelLoad(
    int queueLength,
    int availableExecutors,
    int offlineExecutors,
    int plannedCapacity,
    int additionalPlannedCapacity) {

  /** Waiting builds that no free, coming or planned executor will take. */
  int excessWorkload() {
    return Math.max(
        0,
        queueLength
            - availableExecutors
            - offlineExecutors
            - plannedCapacity
            - additionalPlannedCapacity);
  }
}
