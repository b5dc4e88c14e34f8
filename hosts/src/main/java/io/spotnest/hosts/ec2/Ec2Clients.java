package io.spotnest.hosts.ec2;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the SDK clients from settings. Credentials: the SDK default chain unless given explicitly;
 * the provider is passed through, never read or printed here. EC2 calls are not retried by the SDK:
 * the provider's own backoff and pool fallback decide. Each EC2 call is abandoned after {@code
 * timeout.apiCall}; a launch is then retried with the same ClientToken.
 */
public final class Ec2Clients {
  private Ec2Clients() {}

  public static AwsCredentialsProvider defaultCredentials() {
    return DefaultCredentialsProvider.builder().build();
  }

  public static Ec2Client ec2(Ec2Settings settings, AwsCredentialsProvider credentials) {
    var b =
        Ec2Client.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials)
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(
                o ->
                    o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(settings.apiCallTimeout())
                        .apiCallTimeout(settings.apiCallTimeout()));
    settings.ec2Endpoint().ifPresent(b::endpointOverride);
    return b.build();
  }

  public static SqsClient sqs(Ec2Settings settings, AwsCredentialsProvider credentials) {
    var b =
        SqsClient.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials)
            .httpClient(UrlConnectionHttpClient.create());
    settings.sqsEndpoint().ifPresent(b::endpointOverride);
    return b.build();
  }
}
