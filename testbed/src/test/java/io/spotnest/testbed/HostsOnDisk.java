package io.spotnest.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lab hosts of lab 9 that exist only as a directory (no namespace, no daemon), for the tests of
 * what a lab writes and keeps there.
 */
final class HostsOnDisk {

  private HostsOnDisk() {}

  /** Host {@code i} named {@code name}, its files under {@code dir}. */
  static TestbedHost host(String name, int i, Path dir) {
    return new TestbedHost(
        name,
        "snh9x" + i,
        "10.231.9.1" + i,
        "qemu+tls://10.231.9.1" + i + "/system",
        "qemu+tls://10.231.9.1" + i + "/system",
        dir,
        1024);
  }

  /** {@code h}, its daemon having logged {@code log}. */
  static TestbedHost withDaemonLog(TestbedHost h, byte[] log) throws IOException {
    Files.createDirectories(h.dir().resolve("log"));
    Files.write(h.dir().resolve("log/libvirtd.log"), log);
    return h;
  }
}
