package io.spotnest.jenkins.orchestrator;

import io.spotnest.hosts.HostProvider;
import io.spotnest.hosts.ec2.Ec2Clients;
import io.spotnest.hosts.ssh.ReconnectPolicy;
import io.spotnest.hosts.ssh.SshHostConfig;
import io.spotnest.hosts.ssh.StaticSshHostProvider;
import io.spotnest.jenkins.NativeLibraryProbe;
import io.spotnest.migration.HypervisorFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The external seams of the production fleet: libvirt's native library, the static hosts' SSH
 * sessions, the hypervisors, the clock and the AWS credentials of an EC2 fleet. Tests hand in fakes
 * for them; everything between is the real adapters.
 *
 * @param awsCredentials the AWS credentials (in production the SDK's default chain: environment,
 *     the controller's instance profile or container role); passed to the SDK, never read here
 */
public record FleetSeams(
    NativeLibraryProbe libvirt,
    StaticHosts staticHosts,
    HypervisorFactory hypervisors,
    Clock clock,
    Supplier<AwsCredentialsProvider> awsCredentials) {

  /** Seams with the AWS SDK's default credentials chain. */
  public FleetSeams(
      NativeLibraryProbe libvirt,
      StaticHosts staticHosts,
      HypervisorFactory hypervisors,
      Clock clock) {
    this(libvirt, staticHosts, hypervisors, clock, Ec2Clients::defaultCredentials);
  }

  /** Opens the provider of the static hosts. */
  @FunctionalInterface
  public interface StaticHosts {
    /**
     * @param socketDir a private directory for the hosts' local libvirt sockets
     * @param overlay the cluster's overlay, whose flood lists the provider keeps current on the
     *     attached hosts and the gateways it names; empty when it runs nothing on them
     */
    HostProvider open(
        List<SshHostConfig> hosts, Path socketDir, Clock clock, Optional<StaticOverlay> overlay);
  }

  static final Duration SSH_CONNECT_TIMEOUT = Duration.ofSeconds(15);
  static final Duration SSH_KEEP_ALIVE = Duration.ofSeconds(15);

  /**
   * The real ones: JNA, SSH sessions (host keys checked against known_hosts; with an overlay, each
   * host's and each listed gateway's flood list kept current over its session), libvirt.
   */
  public static FleetSeams real() {
    return new FleetSeams(
        NativeLibraryProbe.jna(),
        (hosts, socketDir, clock, overlay) ->
            new StaticSshHostProvider(
                hosts,
                clock,
                SSH_CONNECT_TIMEOUT,
                SSH_KEEP_ALIVE,
                ReconnectPolicy.STANDARD,
                socketDir,
                overlay.map(StaticOverlay::peers).orElse(null),
                overlay.map(StaticOverlay::gateways).orElse(List.of())),
        HypervisorFactory.LIBVIRT,
        Clock.systemUTC());
  }
}
