package io.spotnest.jenkins.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.ec2.Ec2QueryFake;
import io.spotnest.hosts.ec2.ElasticMq;
import io.spotnest.jenkins.Ec2FleetSettings;
import io.spotnest.jenkins.FleetSettings;
import io.spotnest.orchestrator.testing.StubHypervisors;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * An EC2 fleet whose queue check fails after its SDK clients and launch threads exist: what was
 * opened is closed before the one-line error reaches the user (real AWS SDK against the EC2 Query
 * API fake and an in-process SQS server).
 */
class FleetBuildFailureTest {
  @TempDir Path home;
  private Ec2QueryFake ec2;
  private ElasticMq sqs;

  @BeforeEach
  void start() throws Exception {
    ec2 = new Ec2QueryFake();
    sqs = new ElasticMq();
  }

  @AfterEach
  void stop() {
    sqs.close();
    ec2.close();
  }

  @Test
  void aForeignQueueClosesTheSdkClientsAndThreadsAlreadyOpened() {
    String foreign = sqs.createClusterQueue("spotnest-other-events", "other");
    FleetSettings settings =
        new FleetSettings("ci", "", 8192, "/var/lib/spotnest/images", "br0", 1000, 4)
            .withEc2(
                new Ec2FleetSettings(
                    "us-east-1",
                    "ami-0123456789abcdef0",
                    "c8i.2xlarge@us-east-1a",
                    "us-east-1a=subnet-0aaa1111",
                    "sg-0bbb2222",
                    "",
                    2,
                    2,
                    "c8i.2xlarge=0.4032",
                    foreign,
                    "http://127.0.0.1:9/",
                    "",
                    "",
                    ec2.endpoint().toString(),
                    sqs.endpoint.toString(),
                    ""));
    FleetSeams seams =
        new FleetSeams(
            library -> Optional.empty(),
            (hosts, socketDir, clock, overlay) -> {
              throw new AssertionError("an EC2 cloud opens no static hosts");
            },
            new StubHypervisors(),
            Clock.systemUTC(),
            () -> StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDFAIL1", "s")));
    OpenedResources opened = new OpenedResources();

    FleetConfigException e =
        assertThrows(
            FleetConfigException.class,
            () -> FleetAssembly.build(settings, home.resolve("spotnest"), seams, opened));

    assertTrue(e.getMessage().startsWith("queueUrl: queue " + foreign), e.getMessage());
    assertEquals(
        List.of("the EC2 launch threads", "the SQS client", "the EC2 client"), opened.closed());
  }
}
