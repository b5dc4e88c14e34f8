package io.spotnest.hosts.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotnest.hosts.DaemonThreads;
import io.spotnest.hosts.HostEventSink;
import io.spotnest.hosts.Pool;
import io.spotnest.testbed.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An EC2 provider wired to the local EC2 Query fake with a controllable clock and a recording
 * sleeper.
 */
final class Ec2Fixture implements AutoCloseable {
  static final String ACCESS_KEY = "AKIDSPOTNESTTEST01";
  static final String SECRET_KEY = "s3cr3t-Never-Print-Me-9f8e7d";
  static final String RELAY_SECRET = "relay-token-0123456789abcdef";

  /** The fixture's two pools, in the order of its settings. */
  static final Pool POOL_A = new Pool("c8i.2xlarge", "us-east-1a");

  static final Pool POOL_B = new Pool("m8i.2xlarge", "us-east-1b");

  /** The tags of the instances the fixture's cluster ("ci", unless a test names another) owns. */
  static final Map<String, String> OURS = Map.of(Ec2Tags.CLUSTER, "ci", Ec2Tags.MANAGED, "true");

  /** The cluster CA's certificate the user data carries (made once per test JVM). */
  static final java.security.cert.X509Certificate CLUSTER_CA =
      io.spotnest.pki.ClusterCa.create(
              "ci", java.time.Clock.systemUTC(), java.time.Duration.ofDays(30))
          .certificate();

  final Ec2QueryFake fake;
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  final List<Duration> sleeps = java.util.Collections.synchronizedList(new ArrayList<>());
  final ExecutorService launchThreads =
      Executors.newCachedThreadPool(DaemonThreads.named("test-launch"));
  final StaticCredentialsProvider credentials =
      StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
  final Ec2Settings settings;
  final Ec2Client ec2;
  final Ec2HostProvider provider;

  /** Where the provider's subscription opens the notice relay, if it does. */
  final Optional<java.net.InetSocketAddress> relayBind;

  Ec2Fixture(List<String> extraLines) throws IOException {
    this(extraLines, Optional.empty());
  }

  Ec2Fixture(List<String> extraLines, Optional<SqsClient> sqs) throws IOException {
    this(extraLines, sqs, SqsEventPump.Settings.standard(), Optional.empty());
  }

  Ec2Fixture(
      List<String> extraLines,
      Optional<SqsClient> sqs,
      SqsEventPump.Settings sqsSettings,
      Optional<java.net.InetSocketAddress> relayBind)
      throws IOException {
    fake = new Ec2QueryFake();
    this.relayBind = relayBind;
    List<String> lines =
        new ArrayList<>(
            List.of(
                "region = us-east-1",
                "image = ami-0123456789abcdef0",
                "pools = c8i.2xlarge@us-east-1a, m8i.2xlarge@us-east-1b",
                "subnet.us-east-1a = subnet-0aaa1111",
                "securityGroups = sg-0bbb2222",
                "retry.baseDelay = 100ms",
                "retry.maxDelay = 1s",
                "relay.url = http://127.0.0.1:9/",
                "endpoint.ec2 = " + fake.endpoint()));
    if (extraLines.stream().noneMatch(l -> l.startsWith("cluster"))) {
      lines.add("cluster = ci");
    }
    if (extraLines.stream().noneMatch(l -> l.startsWith("cap.hosts"))) {
      lines.add("cap.hosts = 5");
    }
    lines.addAll(extraLines);
    settings = Ec2SettingsFile.parse("test.conf", lines);
    ec2 = Ec2Clients.ec2(settings, credentials);
    RelayToken token = new RelayToken(RELAY_SECRET);
    provider =
        new Ec2HostProvider(
            ec2,
            settings,
            new HostUserData(settings, token, Optional.empty(), Optional.of(Ec2Fixture.CLUSTER_CA)),
            new Ec2EventSources(
                sqs, sqsSettings, relayBind, token, TestIdentityCa.awsVerifier(settings.region())),
            clock,
            sleeps::add,
            new SplittableRandom(7),
            launchThreads);
  }

  /**
   * A second provider on the same EC2 (fake), settings and clock: the controller after a restart.
   */
  Ec2HostProvider restarted() {
    RelayToken token = new RelayToken(RELAY_SECRET);
    return new Ec2HostProvider(
        ec2,
        settings,
        new HostUserData(settings, token, Optional.empty(), Optional.of(Ec2Fixture.CLUSTER_CA)),
        new Ec2EventSources(
            Optional.empty(),
            SqsEventPump.Settings.standard(),
            Optional.empty(),
            token,
            TestIdentityCa.awsVerifier(settings.region())),
        clock,
        sleeps::add,
        new SplittableRandom(8),
        launchThreads);
  }

  /**
   * A provider whose subscription polls {@code queue} on {@code mq} (1 s long poll, 5 s visibility,
   * 1 s retry).
   */
  static Ec2Fixture withQueue(ElasticMq mq, String queue, String... lines) throws IOException {
    List<String> all = new ArrayList<>(List.of(lines));
    all.add("sqs.queueUrl = " + queue);
    return new Ec2Fixture(
        all,
        Optional.of(mq.sqs),
        new SqsEventPump.Settings(
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofMillis(100),
            Duration.ofSeconds(1)),
        Optional.empty());
  }

  /** A provider whose subscription opens the notice relay on a loopback port free a moment ago. */
  static Ec2Fixture withRelay() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    return new Ec2Fixture(
        List.of(),
        Optional.empty(),
        SqsEventPump.Settings.standard(),
        Optional.of(new java.net.InetSocketAddress("127.0.0.1", port)));
  }

  /**
   * The real host watcher, copied into {@code dir} with the relay token beside it, set to run once
   * against this fixture's relay and {@code imds}, its state in {@code dir/stateDir}.
   */
  ProcessBuilder watcherOnce(Path dir, ImdsFake imds, String stateDir) throws IOException {
    Path script = dir.resolve("watcher.sh");
    try (InputStream in =
        Ec2Fixture.class.getResourceAsStream(
            "/io/spotnest/hosts/ec2/host/spotnest-imds-watcher.sh")) {
      Files.write(script, in.readAllBytes());
    }
    Files.writeString(dir.resolve("token"), RELAY_SECRET);
    ProcessBuilder pb =
        new ProcessBuilder("bash", script.toString(), "--once").redirectErrorStream(true);
    pb.environment().put("SPOTNEST_WATCHER_CONF", dir.resolve("none").toString());
    pb.environment()
        .put("SPOTNEST_RELAY_URL", "http://127.0.0.1:" + relayBind.orElseThrow().getPort());
    pb.environment().put("SPOTNEST_RELAY_TOKEN_FILE", dir.resolve("token").toString());
    pb.environment().put("SPOTNEST_IMDS_URL", imds.endpoint().toString());
    pb.environment().put("SPOTNEST_STATE_DIR", dir.resolve(stateDir).toString());
    return pb;
  }

  /** Runs {@code pb} (30 s at most) and asserts it exits 0, its output the message. */
  static void assertRunsCleanly(ProcessBuilder pb) throws Exception {
    Process p = pb.start();
    p.waitFor(30, TimeUnit.SECONDS);
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), log);
  }

  @Override
  public void close() {
    launchThreads.shutdownNow();
    ec2.close();
    fake.close();
  }

  /** Opens the fixture of a test and closes it after the test. */
  static final class PerTest implements AfterEachCallback {
    private Ec2Fixture open;

    /** A fixture with {@code extraLines} added to (or replacing) its settings. */
    Ec2Fixture open(String... extraLines) throws IOException {
      open = new Ec2Fixture(List.of(extraLines));
      return open;
    }

    @Override
    public void afterEach(ExtensionContext context) {
      if (open != null) {
        open.close();
      }
    }
  }

  /** A sink that records what it accepted. */
  static final class RecordingSink implements HostEventSink {
    final List<io.spotnest.hosts.HostEvent> accepted =
        java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void accept(io.spotnest.hosts.HostEvent event) {
      accepted.add(event);
    }
  }
}
