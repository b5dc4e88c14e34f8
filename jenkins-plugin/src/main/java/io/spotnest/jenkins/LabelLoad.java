package io.spotnest.jenkins;

/**
 * One label's load as Jenkins' provisioner snapshot shows it: builds waiting, executors free or
 * connecting, and executors already planned (earlier rounds, and earlier strategies this round).
 */
record LabelLoad(
    int queueLength,
    int availableExecutors,
    int connectingExecutors,
    int plannedCapacity,
    int additionalPlannedCapacity) {

  /** Waiting builds that no free, connecting or planned executor will take. */
  int excessWorkload() {
    return Math.max(
        0,
        queueLength
            - availableExecutors
            - connectingExecutors
            - plannedCapacity
            - additionalPlannedCapacity);
  }
}
