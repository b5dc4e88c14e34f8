package io.spotnest.jenkins;

import java.util.Objects;

/**
 * What Jenkins' queue made of a lost build's job: the queue item its new run waits as (a new one,
 * or one already waiting with the same parameters, which the lost build joined), or why there is
 * none.
 *
 * @param accepted whether the job is in the queue again
 * @param detail which queue item, or why Jenkins refused
 */
public record Requeue(boolean accepted, String detail) {
  public Requeue {
    Objects.requireNonNull(detail, "detail");
  }

  /** Jenkins put a new item in its queue. */
  public static Requeue newItem(long queueItem) {
    return new Requeue(true, "queue item " + queueItem);
  }

  /** Jenkins merged the build into an item of its job already waiting with the same parameters. */
  public static Requeue joined(long queueItem) {
    return new Requeue(
        true, "queue item " + queueItem + ", which was already waiting with the same parameters");
  }

  /** Jenkins did not put the job in its queue again, because {@code why}. */
  public static Requeue refused(String why) {
    return new Requeue(false, why);
  }
}
