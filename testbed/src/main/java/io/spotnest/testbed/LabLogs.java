package io.spotnest.testbed;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a lab's daemons log and what of it outlives the lab. Under {@code CI=true} (or with {@code
 * -Dspotnest.lab.keepLogs=true}) the daemons log libvirt's migration, remote-driver, RPC, TLS and
 * keepalive steps at debug level, and when the lab is removed the last {@link #KEPT_BYTES} of each
 * of its logs is kept under {@code <workRoot>/kept-logs/} and listed in {@code index} (this JVM's
 * {@linkplain #indexFile() index file}), where the test listener that reports a failed lab test
 * finds it (a {@code spotnest} command finds it through {@link KeptLabLogs}). With {@code keepLogs}
 * every log is kept whole and stays after the run. Either way each keep holds {@code kept-logs/} to
 * its {@link KeptLogsBound} (by default the newest 20 runs, 256 MiB), removing the oldest first.
 */
record LabLogs(boolean detailed, boolean keepAll, Path index, KeptLogsBound bound) {

  LabLogs(boolean detailed, boolean keepAll, Path index) {
    this(detailed, keepAll, index, KeptLogsBound.DEFAULT);
  }

  /** How much of each log is kept (its end), so a long run cannot fill the disk. */
  static final long KEPT_BYTES = 2L << 20;

  /**
   * libvirt log filters for the steps of a peer-to-peer migration up to the destination's Prepare
   * (API entry, remote driver, TLS, sockets, keepalive, the migration code and its cookie), and the
   * server side that receives them.
   */
  static final String DETAILED_FILTERS =
      String.join(
          " ",
          "1:libvirt",
          "1:remote",
          "1:rpc.netclient",
          "1:rpc.netsocket",
          "1:rpc.nettlscontext",
          "2:rpc.netserverclient",
          "1:rpc.keepalive",
          "1:qemu.qemu_migration",
          "3:*");

  /** The policy this JVM runs under. */
  static LabLogs fromEnvironment() {
    return of(System.getenv(), Boolean.getBoolean("spotnest.lab.keepLogs"));
  }

  static LabLogs of(Map<String, String> env, boolean keepLogsProperty) {
    boolean ci = "true".equalsIgnoreCase(env.getOrDefault("CI", ""));
    return new LabLogs(ci || keepLogsProperty, keepLogsProperty, indexFile());
  }

  /** The libvirtd.conf lines for the daemon's log. */
  List<String> daemonConfig() {
    List<String> lines = new ArrayList<>();
    if (detailed) {
      lines.add(
          "# detailed (CI=true or spotnest.lab.keepLogs): the steps of a migration, kept when the lab");
      lines.add("# is removed");
      lines.add("log_filters = \"" + DETAILED_FILTERS + "\"");
      lines.add("log_outputs = \"1:file:/var/log/libvirt/libvirtd.log\"");
    } else {
      lines.add("log_outputs = \"3:file:/var/log/libvirt/libvirtd.log\"");
    }
    return lines;
  }

  /**
   * Keeps the hosts' logs before the lab is removed: all of them with {@code keepLogs}, the end of
   * each under CI; returns where, or nothing when neither applies.
   */
  java.util.Optional<Path> keep(Path workRoot, int labIndex, List<TestbedHost> hosts) {
    if (!detailed || hosts.isEmpty()) {
      return java.util.Optional.empty();
    }
    long now = System.currentTimeMillis();
    Path target = workRoot.resolve("kept-logs/lab" + labIndex + "-" + now);
    try {
      for (TestbedHost h : hosts) {
        Path from = h.dir().resolve("log");
        if (!Files.isDirectory(from)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(from)) {
          for (Path f : files.filter(Files::isRegularFile).toList()) {
            Path to = target.resolve(h.name()).resolve(from.relativize(f).toString());
            Files.createDirectories(to.getParent());
            copyEnd(f, to, keepAll ? Long.MAX_VALUE : KEPT_BYTES);
          }
        }
      }
      if (!keepAll) {
        Files.createDirectories(index.getParent());
        Files.writeString(
            index,
            now + "\t" + target + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
      bound.prune(workRoot.resolve("kept-logs"));
      return java.util.Optional.of(target);
    } catch (IOException | UncheckedIOException e) {
      System.err.println("testbed: could not keep lab" + labIndex + "'s logs: " + e.getMessage());
      return java.util.Optional.empty();
    }
  }

  /**
   * This JVM's list of kept lab logs, one {@code <epoch millis>\t<directory>} line per lab removed;
   * read by the testbed test jar's {@code LabLogsOnFailure}, which removes the entries no failed
   * test needed.
   */
  static Path indexFile() {
    return Path.of(
        System.getProperty("java.io.tmpdir"),
        "spotnest-kept-logs-" + ProcessHandle.current().pid() + ".txt");
  }

  /** Copies the last {@code limit} bytes of {@code from} (all of a smaller file). */
  static void copyEnd(Path from, Path to, long limit) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(from.toFile(), "r")) {
      long size = in.length();
      long start = Math.max(0, size - limit);
      in.seek(start);
      try (var out = Files.newOutputStream(to)) {
        if (start > 0) {
          out.write(
              ("[testbed: the first " + start + " bytes are left out]\n")
                  .getBytes(StandardCharsets.UTF_8));
        }
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
          out.write(buf, 0, n);
        }
      }
    }
  }
}
