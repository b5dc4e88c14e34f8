package io.spotnest.jenkins;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostCapacity;
import io.spotnest.hosts.HostEventSink;
import io.spotnest.hosts.HostLaunchException;
import io.spotnest.hosts.HostProvider;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.HostState;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.NotOwnedException;
import io.spotnest.hosts.ssh.SshHostConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The static hosts' SSH seam, faked: attaching a configured machine is instant, its libvirt is
 * "reached" through a socket under the directory the wiring handed in.
 */
final class FakeStaticHosts implements HostProvider, AutoCloseable {
  final List<SshHostConfig> configured;
  final Path socketDir;

  /** Set: subscribing fails, as a host event source that cannot start. */
  volatile RuntimeException subscribeFailure;

  volatile boolean closed;
  volatile boolean subscriptionClosed;
  private final Map<String, Host> attached = new LinkedHashMap<>();

  FakeStaticHosts(List<SshHostConfig> configured, Path socketDir) {
    this.configured = configured;
    this.socketDir = socketDir;
  }

  @Override
  public synchronized Host launch(HostRequest request) {
    for (SshHostConfig m : configured) {
      if (m.pool().equals(request.pool()) && !attached.containsKey(m.name())) {
        Host h =
            new Host(
                m.name(),
                m.pool(),
                Market.ON_DEMAND,
                HostState.RUNNING,
                URI.create("qemu+unix:///system?socket=" + socketDir + "/" + m.name() + ".sock"),
                URI.create(
                    "qemu+ssh://" + m.user() + "@" + m.address() + ":" + m.port() + "/system"),
                m.underlay(),
                HostCapacity.UNKNOWN,
                m.pool().zone(),
                Optional.empty(),
                Instant.EPOCH);
        attached.put(m.name(), h);
        return h;
      }
    }
    throw new HostLaunchException("no free static host in pool " + request.pool());
  }

  @Override
  public synchronized List<Host> list() {
    return new ArrayList<>(attached.values());
  }

  @Override
  public synchronized void terminate(String hostId) {
    if (attached.remove(hostId) == null) {
      throw new NotOwnedException(hostId, "not attached");
    }
  }

  @Override
  public AutoCloseable subscribe(HostEventSink sink) {
    if (subscribeFailure != null) {
      throw subscribeFailure;
    }
    return () -> subscriptionClosed = true;
  }

  /** The SSH sessions and tunnels end. */
  @Override
  public void close() {
    closed = true;
  }
}
