package io.spotnest.hosts.ec2;

import java.net.URI;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A real SQS-compatible server (elasticmq) in-process on 127.0.0.1 with a dynamic port, and an SDK
 * client for it.
 */
public final class ElasticMq implements AutoCloseable {
  private final SQSRestServer server;
  public final URI endpoint;
  public final SqsClient sqs;

  public ElasticMq() {
    server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(0).start();
    int port = server.waitUntilStarted().localAddress().getPort();
    endpoint = URI.create("http://127.0.0.1:" + port);
    sqs =
        SqsClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  /** Creates a queue and returns its URL. */
  String createQueue(String name) {
    return sqs.createQueue(
            r -> r.queueName(name).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "20")))
        .queueUrl();
  }

  /**
   * Creates a queue tagged {@code spotnest:cluster=<cluster>}, as docs/aws.md says to, and returns
   * its URL.
   */
  public String createClusterQueue(String name, String cluster) {
    return sqs.createQueue(
            r ->
                r.queueName(name)
                    .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "20"))
                    .tags(Map.of(Ec2Tags.CLUSTER, cluster)))
        .queueUrl();
  }

  /** Visible plus in-flight messages. */
  int remaining(String queueUrl) {
    Map<QueueAttributeName, String> a =
        sqs.getQueueAttributes(
                r ->
                    r.queueUrl(queueUrl)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  void send(String queueUrl, String body) {
    sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
  }

  @Override
  public void close() {
    sqs.close();
    server.stopAndWait();
  }
}
