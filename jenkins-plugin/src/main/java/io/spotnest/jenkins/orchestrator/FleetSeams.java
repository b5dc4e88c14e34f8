package io.spotnest.jenkins.orchestrator;

import io.spotnest.hosts.HostProvider;
import io.spotnest.hosts.ssh.ReconnectPolicy;
import io.spotnest.hosts.ssh.SshHostConfig;
import io.spotnest.hosts.ssh.StaticSshHostProvider;
import io.spotnest.jenkins.NativeLibraryProbe;
import io.spotnest.migration.HypervisorFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The external seams of the production fleet: libvirt's native library, the static hosts' SSH
 * sessions, the hypervisors and the clock. Tests hand in fakes for them; everything between is the
 * real adapters.
 */
public record FleetSeams(
    NativeLibraryProbe libvirt,
    StaticHosts staticHosts,
    HypervisorFactory hypervisors,
    Clock clock) {

  /** Opens the provider of the static hosts. */
  @FunctionalInterface
  public interface StaticHosts {
    /**
     * @param socketDir a private directory for the hosts' local libvirt sockets
     */
    HostProvider open(List<SshHostConfig> hosts, Path socketDir, Clock clock);
  }

  static final Duration SSH_CONNECT_TIMEOUT = Duration.ofSeconds(15);
  static final Duration SSH_KEEP_ALIVE = Duration.ofSeconds(15);

  /** The real ones: JNA, SSH sessions (host keys checked against known_hosts), libvirt. */
  public static FleetSeams real() {
    return new FleetSeams(
        NativeLibraryProbe.jna(),
        (hosts, socketDir, clock) ->
            new StaticSshHostProvider(
                hosts,
                clock,
                SSH_CONNECT_TIMEOUT,
                SSH_KEEP_ALIVE,
                ReconnectPolicy.STANDARD,
                socketDir),
        HypervisorFactory.LIBVIRT,
        Clock.systemUTC());
  }
}
