package io.spotnest.hosts.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.LabGate;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.Pool;
import io.spotnest.testbed.LinkShape;
import io.spotnest.testbed.Prerequisites;
import io.spotnest.testbed.Testbed;
import io.spotnest.testbed.TestbedHost;
import io.spotnest.testbed.TestbedSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;

/**
 * libvirt reached through the SSH tunnel: a testbed host (its own libvirtd in its own namespace)
 * gets an sshd, the static-host provider attaches it with the socket forward, and libvirt-java
 * talks to that daemon through the URI on the Host.
 */
@Tag("lab")
class SshLibvirtLabTest {
  @TempDir Path dir;

  @Test
  void libvirtAnswersThroughTheTunnel() throws Exception {
    SshLab.requirePrerequisites();
    LabGate.requireOrSkip("testbed prerequisites missing: ", Prerequisites.missing());
    Path work = Files.createDirectories(dir.resolve("lab"));
    try (Testbed tb = Testbed.start(new TestbedSpec(1, 256, LinkShape.UNSHAPED, work))) {
      TestbedHost h = tb.host(1);
      tb.requireLabRoute(h.address()); // never connect unless the route goes through the lab link
      try (SshDaemon sshd =
          SshDaemon.start(
              Files.createDirectories(dir.resolve("ssh")), h.namespace(), h.address(), 2222)) {
        Pool pool = new Pool("testbed", "lab" + tb.names().index());
        SshHostConfig config =
            new SshHostConfig(
                h.name(),
                pool,
                h.address(),
                22,
                "root",
                sshd.clientKey(),
                sshd.knownHosts(),
                LibvirtEndpoint.unixSocket(h.dir().resolve("run/libvirt-sock").toString()),
                null,
                null);
        try (StaticSshHostProvider provider =
            new StaticSshHostProvider(
                List.of(config),
                Clock.systemUTC(),
                Duration.ofSeconds(10),
                Duration.ofSeconds(5))) {
          Host host = provider.launch(new HostRequest(pool, Market.ON_DEMAND));
          Connect conn = new Connect(host.libvirtUri().toString());
          try {
            assertEquals(
                h.name(), conn.getHostName(), "the tunnel reaches the testbed host's own libvirtd");
            long version = conn.getLibVersion();
            assertTrue(version > 1_000_000, "libvirt version " + version);
            System.out.println(
                "libvirt over SSH: "
                    + host.libvirtUri()
                    + " -> host "
                    + conn.getHostName()
                    + ", libvirt "
                    + version);
          } finally {
            conn.close();
          }
        }
      }
    }
  }
}
