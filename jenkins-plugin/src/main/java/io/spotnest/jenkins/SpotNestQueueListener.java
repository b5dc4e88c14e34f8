package io.spotnest.jenkins;

import hudson.Extension;
import hudson.model.Label;
import hudson.model.Queue;
import hudson.model.queue.QueueListener;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import jenkins.model.Jenkins;
import jenkins.util.Timer;

/**
 * Wakes the label's provisioner when a build for a SpotNest label starts waiting for an executor,
 * so {@link SpotNestProvisionStrategy} runs now rather than at Jenkins' next provisioning round
 * (every 10 s, and only 100 s after Jenkins started). The review runs a second later, once the
 * queue has published the build (the provisioner counts the queue's published snapshot).
 */
@Extension
public final class SpotNestQueueListener extends QueueListener {
  static final long REVIEW_DELAY_MS = 1000;

  private final Supplier<List<SpotNestCloud>> clouds;
  private final Consumer<Label> review;

  public SpotNestQueueListener() {
    this(() -> Jenkins.get().clouds.getAll(SpotNestCloud.class), SpotNestQueueListener::reviewSoon);
  }

  /** Runs {@code label}'s provisioner {@value #REVIEW_DELAY_MS} ms from now. */
  static void reviewSoon(Label label) {
    Timer.get()
        .schedule(label.nodeProvisioner::suggestReviewNow, REVIEW_DELAY_MS, TimeUnit.MILLISECONDS);
  }

  SpotNestQueueListener(Supplier<List<SpotNestCloud>> clouds, Consumer<Label> review) {
    this.clouds = clouds;
    this.review = review;
  }

  @Override
  public void onEnterBuildable(Queue.BuildableItem item) {
    buildable(item.getAssignedLabel());
  }

  /** A build for {@code label} waits for an executor. */
  void buildable(Label label) {
    if (label != null && !NoDelayProvisioning.serving(label, 0, clouds.get()).isEmpty()) {
      review.accept(label);
    }
  }
}
