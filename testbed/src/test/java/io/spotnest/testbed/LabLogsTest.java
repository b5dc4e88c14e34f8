package io.spotnest.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabLogsTest {

  @TempDir Path dir;

  private TestbedHost host(String name, int i) {
    return HostsOnDisk.host(name, i, dir.resolve("lab9/host" + i));
  }

  private Path writeConfig(LabLogs logs) throws Exception {
    TestbedHost h = host("hosta", 1);
    new HostDaemon(new Shell()).writeConfig(h, new LabPki(new LabNames(9)), logs);
    return h.dir().resolve("etc");
  }

  @Test
  void under_ci_the_daemons_log_the_migration_rpc_and_keepalive_steps_at_debug_level()
      throws Exception {
    LabLogs ci = LabLogs.of(Map.of("CI", "true"), false);
    assertTrue(ci.detailed());
    assertFalse(ci.keepAll(), "CI keeps the end of each log, not all of it");
    String conf = Files.readString(writeConfig(ci).resolve("libvirtd.conf"));
    String filters = line(conf, "log_filters");
    for (String category :
        List.of("1:qemu.qemu_migration", "1:rpc.keepalive", "1:rpc.nettlscontext", "1:remote")) {
      assertTrue(filters.contains(category), category + " in " + filters);
    }
    assertTrue(filters.endsWith("3:*\""), "everything else at warning: " + filters);
    assertEquals(
        "log_outputs = \"1:file:/var/log/libvirt/libvirtd.log\"", line(conf, "log_outputs"));
  }

  @Test
  void outside_ci_the_daemons_log_warnings_only_and_nothing_is_kept() throws Exception {
    LabLogs plain = LabLogs.of(Map.of(), false);
    assertFalse(plain.detailed());
    String conf = Files.readString(writeConfig(plain).resolve("libvirtd.conf"));
    assertFalse(conf.contains("log_filters"), conf);
    assertEquals(
        "log_outputs = \"3:file:/var/log/libvirt/libvirtd.log\"", line(conf, "log_outputs"));
    assertTrue(plain.keep(dir, 9, List.of(host("hosta", 1))).isEmpty());
  }

  @Test
  void the_keep_logs_property_keeps_every_log_whole_without_listing_it_for_removal()
      throws Exception {
    LabLogs all = new LabLogs(true, true, dir.resolve("index.txt"));
    TestbedHost a = host("hosta", 1);
    Files.createDirectories(a.dir().resolve("log/qemu"));
    byte[] big = new byte[(int) (LabLogs.KEPT_BYTES + 1000)];
    Files.write(a.dir().resolve("log/libvirtd.log"), big);
    Path kept = all.keep(dir, 9, List.of(a)).orElseThrow();
    assertEquals(big.length, Files.size(kept.resolve("hosta/libvirtd.log")));
    assertFalse(Files.exists(dir.resolve("index.txt")));
  }

  @Test
  void under_ci_the_end_of_each_log_is_kept_bounded_and_listed_in_the_index() throws Exception {
    Path index = dir.resolve("index.txt");
    LabLogs ci = new LabLogs(true, false, index);
    TestbedHost a = host("hosta", 1);
    TestbedHost b = host("hostb", 2);
    Files.createDirectories(a.dir().resolve("log/qemu"));
    Files.createDirectories(b.dir().resolve("log"));
    // 3 MiB of numbered lines: more than is kept
    String lines =
        IntStream.range(0, 100_000)
            .mapToObj(i -> String.format("%06d %s", i, "x".repeat(24)))
            .collect(Collectors.joining("\n", "", "\n"));
    Files.writeString(a.dir().resolve("log/libvirtd.log"), lines);
    Files.writeString(a.dir().resolve("log/qemu/vm.log"), "qemu line\n");
    Files.writeString(b.dir().resolve("log/libvirtd.log"), "short\n");

    long before = System.currentTimeMillis();
    Path kept = ci.keep(dir, 9, List.of(a, b)).orElseThrow();

    Path aLog = kept.resolve("hosta/libvirtd.log");
    assertTrue(Files.size(aLog) <= LabLogs.KEPT_BYTES + 100, "bounded: " + Files.size(aLog));
    List<String> keptLines = Files.readAllLines(aLog, StandardCharsets.UTF_8);
    assertTrue(keptLines.get(0).startsWith("[testbed: the first "), keptLines.get(0));
    assertEquals(
        String.format("%06d %s", 99_999, "x".repeat(24)), keptLines.get(keptLines.size() - 1));
    assertEquals("qemu line\n", Files.readString(kept.resolve("hosta/qemu/vm.log")));
    assertEquals("short\n", Files.readString(kept.resolve("hostb/libvirtd.log")));

    String[] entry = Files.readString(index).strip().split("\t");
    assertTrue(Long.parseLong(entry[0]) >= before, entry[0]);
    assertEquals(kept.toString(), entry[1]);
  }

  private static String line(String text, String key) {
    return text.lines().filter(l -> l.startsWith(key + " ")).findFirst().orElse("(no " + key + ")");
  }
}
