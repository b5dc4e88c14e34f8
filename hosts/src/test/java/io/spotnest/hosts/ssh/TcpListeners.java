package io.spotnest.hosts.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The TCP sockets in LISTEN state that this JVM holds: the socket inodes of {@code /proc/self/fd}
 * matched against {@code /proc/net/tcp} and {@code /proc/net/tcp6} (state {@code 0A}). Other
 * processes' listeners do not count.
 */
final class TcpListeners {
  private TcpListeners() {}

  /**
   * Local addresses ({@code hexaddr:hexport} as the kernel prints them) of this process's listening
   * TCP sockets.
   */
  static Set<String> ofThisProcess() throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // the fd went away while listing
        }
      }
    }
    Set<String> listening = new TreeSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines = Files.readAllLines(Path.of(table));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 9 && "0A".equals(f[3]) && inodes.contains(f[9])) {
          listening.add(f[1]);
        }
      }
    }
    return listening;
  }
}
