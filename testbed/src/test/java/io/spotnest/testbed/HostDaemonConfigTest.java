package io.spotnest.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostDaemonConfigTest {

  @TempDir Path dir;

  /**
   * A lab daemon gives up on a silent peer within libvirt's default 5 s x 5 (about 30 s), on both
   * sides of a peer-to-peer migration connection: the source's client (qemu.conf) and the
   * destination's server (libvirtd.conf). Tests give a move 120 s; 10 s x 12 (about 130 s) let a
   * dead connection outlast them.
   */
  @Test
  void peer_connections_give_up_on_a_silent_peer_well_within_a_tests_deadline() throws Exception {
    TestbedHost h = HostsOnDisk.host("hosta", 1, dir.resolve("host1"));
    new HostDaemon(new Shell())
        .writeConfig(h, new LabPki(new LabNames(9)), LabLogs.of(Map.of(), false));
    for (String file : List.of("libvirtd.conf", "qemu.conf")) {
      List<String> lines = Files.readAllLines(h.dir().resolve("etc").resolve(file));
      assertEquals(List.of("keepalive_interval = 5"), matching(lines, "keepalive_interval"), file);
      assertEquals(List.of("keepalive_count = 5"), matching(lines, "keepalive_count"), file);
    }
  }

  /**
   * File-backed guest memory (a standing copy's standby) goes to a directory of the host's own
   * under the lab's work dir: on disk, removed with the lab, never another host's or the machine's.
   */
  @Test
  void guest_memory_files_go_to_the_hosts_own_directory_under_the_labs_work_dir() throws Exception {
    TestbedHost h = HostsOnDisk.host("hosta", 1, dir.resolve("host1"));
    new HostDaemon(new Shell())
        .writeConfig(h, new LabPki(new LabNames(9)), LabLogs.of(Map.of(), false));
    List<String> lines = Files.readAllLines(h.dir().resolve("etc/qemu.conf"));
    assertEquals(dir.resolve("host1/ram"), h.memoryBackingDir());
    assertEquals(
        List.of("memory_backing_dir = \"" + h.memoryBackingDir() + "\""),
        matching(lines, "memory_backing_dir"));
    org.junit.jupiter.api.Assertions.assertTrue(Files.isDirectory(h.memoryBackingDir()));
  }

  private static List<String> matching(List<String> lines, String key) {
    return lines.stream().filter(l -> l.startsWith(key + " ")).toList();
  }
}
