package io.spotnest.testbed;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Measures the bandwidth from one testbed host to another by timing a bulk TCP transfer between
 * their namespaces (busybox {@code nc}), after checking that the route stays on the lab bridge.
 */
public final class LinkProbe {

  private static final int PORT = 5201;
  private final Testbed testbed;

  public LinkProbe(Testbed testbed) {
    this.testbed = testbed;
  }

  /** Bytes per second achieved sending {@code mib} MiB from {@code from} to {@code to}. */
  public long measure(TestbedHost from, TestbedHost to, int mib) {
    if (mib < 1 || mib > 4096) {
      throw new IllegalArgumentException("probe size mib must be 1..4096, was " + mib);
    }
    Shell shell = testbed.shell();
    try {
      new NetworkGuard(shell)
          .requireRoute(from.namespace(), InetAddress.getByName(to.address()), "br0");
    } catch (UnknownHostException e) {
      throw new TestbedException("bad host address " + to.address(), e);
    }
    ProcessBuilder sink =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                to.namespace(),
                "busybox",
                "nc",
                "-l",
                "-p",
                Integer.toString(PORT))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    Process listener;
    try {
      listener = sink.start();
    } catch (java.io.IOException e) {
      throw new TestbedException("cannot start the probe listener on " + to.name(), e);
    }
    try {
      Thread.sleep(300);
      long t0 = System.nanoTime();
      Shell.Result r =
          shell.exec(
              List.of(
                  "ip",
                  "netns",
                  "exec",
                  from.namespace(),
                  "sh",
                  "-c",
                  "head -c "
                      + ((long) mib << 20)
                      + " /dev/zero | busybox nc "
                      + to.address()
                      + " "
                      + PORT));
      long t1 = System.nanoTime();
      if (!r.ok()) {
        throw new TestbedException(
            "link probe " + from.name() + " -> " + to.name() + " failed: " + r.stderr().strip());
      }
      return (long) ((double) ((long) mib << 20) / ((t1 - t0) / 1e9));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestbedException("interrupted", e);
    } finally {
      listener.destroyForcibly();
    }
  }
}
