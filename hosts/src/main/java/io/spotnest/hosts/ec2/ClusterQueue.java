package io.spotnest.hosts.ec2;

import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Each cluster has its own SQS queue, tagged {@code spotnest:cluster=<cluster>}. The intake deletes
 * events about instances that are not its cluster's, so two clusters polling one queue would delete
 * each other's notices; a queue tagged for another cluster, or for none, is refused before the
 * first receive.
 */
final class ClusterQueue {
  private ClusterQueue() {}

  /** Throws an error naming {@code sqs.queueUrl} unless the queue is tagged for {@code cluster}. */
  static void verify(SqsClient sqs, String queueUrl, String cluster) {
    Map<String, String> queueTags = sqs.listQueueTags(r -> r.queueUrl(queueUrl)).tags();
    String owner = queueTags.get(Ec2Tags.CLUSTER);
    if (!cluster.equals(owner)) {
      String what =
          owner == null
              ? "has no tag " + Ec2Tags.CLUSTER
              : "is tagged " + Ec2Tags.CLUSTER + "=" + owner;
      throw new IllegalArgumentException(
          "sqs.queueUrl: queue "
              + queueUrl
              + " "
              + what
              + "; each cluster needs its own queue, "
              + "tagged "
              + Ec2Tags.CLUSTER
              + "="
              + cluster
              + " (another cluster on the same queue would delete this one's notices)");
    }
  }
}
