package io.spotnest.jenkins.orchestrator;

import io.spotnest.hosts.ssh.SshHostConfig;
import io.spotnest.hosts.ssh.SshHostsFile;
import io.spotnest.hosts.ssh.StaticMachines;
import java.nio.file.Path;
import java.util.List;

/**
 * The cloud's {@code staticHosts} field: one static host per line, {@code <name>
 * <user>@<address>[:<port>] pool=<type>@<site> key=<file> known_hosts=<file> [libvirt=...]}, and
 * the overlay gateways reached over SSH, {@code <name> <user>@<address>[:<port>] role=gateway
 * key=<file> known_hosts=<file> [vtep=<IPv4>]} ({@link SshHostsFile}); relative files are under
 * {@code $JENKINS_HOME/spotnest/ssh}. Errors name the field and the line.
 */
public final class StaticHostList {
  static final String FIELD = "staticHosts";

  private StaticHostList() {}

  /** The hosts; throws {@link IllegalArgumentException} with one line naming field and line. */
  public static List<SshHostConfig> parse(String text, Path keyDir) {
    List<String> lines = text == null ? List.of() : text.lines().toList();
    return SshHostsFile.parse(FIELD, keyDir, lines);
  }

  /** The hosts and the gateways; the same errors as {@link #parse}. */
  public static StaticMachines parseMachines(String text, Path keyDir) {
    List<String> lines = text == null ? List.of() : text.lines().toList();
    return SshHostsFile.parseMachines(FIELD, keyDir, lines);
  }
}
