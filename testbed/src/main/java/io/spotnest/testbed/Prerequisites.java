package io.spotnest.testbed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a lab needs from the machine: root, iproute2, tc, libvirtd, virsh, QEMU, qemu-img. */
public final class Prerequisites {

  private Prerequisites() {}

  /** The missing prerequisites, each as a sentence; empty when the lab can run. */
  public static List<String> missing() {
    List<String> out = new ArrayList<>();
    if (!"root".equals(System.getProperty("user.name"))) {
      out.add("the lab needs root (network namespaces, bind mounts)");
    }
    String[][] tools = {
      {"/usr/sbin/libvirtd", "libvirt-daemon-system"}, {"/usr/bin/virsh", "libvirt-clients"},
      {"/usr/bin/qemu-system-x86_64", "qemu-system-x86"}, {"/usr/bin/qemu-img", "qemu-utils"},
      {"/usr/sbin/tc", "iproute2"}, {"/usr/bin/unshare", "util-linux"},
    };
    for (String[] t : tools) {
      if (!Files.isExecutable(Path.of(t[0]))
          && !Files.isExecutable(Path.of(t[0].replace("/usr/sbin", "/sbin")))) {
        out.add(t[0] + " is missing (Debian package " + t[1] + ")");
      }
    }
    if (!Files.isExecutable(Path.of("/usr/bin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))) {
      out.add("ip is missing (Debian package iproute2)");
    }
    return out;
  }

  /** Throws with every missing prerequisite named. */
  public static void requireAll() {
    List<String> m = missing();
    if (!m.isEmpty()) {
      throw new TestbedException(
          "cannot start the local testbed: "
              + String.join("; ", m)
              + " (./spotnest installs them: run it as root on Debian 12)");
    }
  }
}
