package io.spotnest.hosts.ssh;

import io.spotnest.hosts.Pool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the static host list, one machine per line ({@code #} starts a comment):
 *
 * <pre>
 * &lt;name&gt; &lt;user&gt;@&lt;address&gt;[:&lt;port&gt;] [role=host] pool=&lt;type&gt;@&lt;site&gt; key=&lt;file&gt; known_hosts=&lt;file&gt; [libvirt=unix:&lt;path&gt;|tcp:&lt;host&gt;:&lt;port&gt;] [peer=&lt;libvirt URI&gt;] [vtep=&lt;IPv4&gt;]
 * &lt;name&gt; &lt;user&gt;@&lt;address&gt;[:&lt;port&gt;] role=gateway key=&lt;file&gt; known_hosts=&lt;file&gt; [vtep=&lt;IPv4&gt;]
 * </pre>
 *
 * <p>A {@code role=gateway} line is an overlay gateway (no pool, no libvirt: it runs no agents),
 * reached over SSH only to keep its flood list current; its VTEP is {@code vtep=} or its IPv4 SSH
 * address.
 *
 * <p>({@code peer=}: the URI other hosts migrate to this one with, see {@link
 * SshHostConfig#peer()}; {@code vtep=}: the IPv4 address its VXLAN endpoint is bound to, default
 * the SSH address, see {@link SshHostConfig#underlay()}).
 *
 * <p>Relative files are resolved against the list's directory. Errors name the file, the line and
 * the field.
 */
public final class SshHostsFile {
  private static final Set<String> OPTIONS =
      Set.of("role", "pool", "key", "known_hosts", "libvirt", "peer", "vtep");

  private SshHostsFile() {}

  /** The hosts of the file (its gateway lines checked, then left out). */
  public static List<SshHostConfig> read(Path file) throws IOException {
    return readMachines(file).hosts();
  }

  /** The hosts and the overlay gateways of the file. */
  public static StaticMachines readMachines(Path file) throws IOException {
    return parseMachines(
        file.toString(),
        file.toAbsolutePath().getParent(),
        Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  /** The hosts of the lines (their gateway lines checked, then left out). */
  public static List<SshHostConfig> parse(String name, Path base, List<String> lines) {
    return parseMachines(name, base, lines).hosts();
  }

  /** The hosts and the overlay gateways of the lines; {@code name} names them in errors. */
  public static StaticMachines parseMachines(String name, Path base, List<String> lines) {
    List<SshHostConfig> hosts = new ArrayList<>();
    List<SshHostConfig> gateways = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i).strip();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      String where = name + ":" + (i + 1) + ": ";
      try {
        String[] words = text.split("\\s+");
        Map<String, String> options = options(words);
        if (isGateway(options)) {
          gateways.add(gateway(base, words, options));
        } else {
          hosts.add(line(base, words, options));
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + e.getMessage(), e);
      }
    }
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException(name + ": no hosts listed");
    }
    return new StaticMachines(hosts, gateways);
  }

  private static boolean isGateway(Map<String, String> options) {
    String role = options.getOrDefault("role", "host");
    if (!role.equals("host") && !role.equals("gateway")) {
      throw new IllegalArgumentException("role: expected host or gateway, got '" + role + "'");
    }
    return role.equals("gateway");
  }

  private static SshHostConfig gateway(Path base, String[] words, Map<String, String> options) {
    for (String hostOnly : List.of("pool", "libvirt", "peer")) {
      if (options.containsKey(hostOnly)) {
        throw new IllegalArgumentException(
            hostOnly
                + ": a gateway (role=gateway) has no pool, libvirt or peer (it runs no agents)");
      }
    }
    Map<String, String> withPool = new LinkedHashMap<>(options);
    withPool.put("pool", StaticMachines.GATEWAY_POOL.toString());
    SshHostConfig g = line(base, words, withPool);
    if (g.underlay().isEmpty()) {
      throw new IllegalArgumentException(
          "vtep: gateway '"
              + g.name()
              + "' needs vtep=<IPv4> (its address is not an IPv4 address)");
    }
    return g;
  }

  private static Map<String, String> options(String[] words) {
    if (words.length < 2) {
      throw new IllegalArgumentException(
          "expected <name> <user>@<address>[:<port>] pool=... key=... known_hosts=...");
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (int w = 2; w < words.length; w++) {
      int eq = words[w].indexOf('=');
      String key = eq < 0 ? words[w] : words[w].substring(0, eq);
      if (eq < 0 || !OPTIONS.contains(key)) {
        throw new IllegalArgumentException(
            "unknown option '"
                + words[w]
                + "' (known: role=, pool=, key=, known_hosts=, libvirt=, peer=, vtep=)");
      }
      if (options.put(key, words[w].substring(eq + 1)) != null) {
        throw new IllegalArgumentException(key + ": given twice");
      }
    }
    return options;
  }

  private static SshHostConfig line(Path base, String[] words, Map<String, String> options) {
    for (String required : List.of("pool", "key", "known_hosts")) {
      if (!options.containsKey(required)) {
        throw new IllegalArgumentException(required + ": required but missing");
      }
    }
    String target = words[1];
    int at = target.indexOf('@');
    if (at <= 0) {
      throw new IllegalArgumentException(
          "address: expected <user>@<address>[:<port>], got '" + target + "'");
    }
    String address = target.substring(at + 1);
    int port = 22;
    int colon = address.lastIndexOf(':');
    if (colon > 0 && !address.startsWith("[")) {
      try {
        port = Integer.parseInt(address.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("port: not a number in '" + target + "'");
      }
      address = address.substring(0, colon);
    }
    return new SshHostConfig(
        words[0],
        Pool.parse("pool", options.get("pool")),
        address,
        port,
        target.substring(0, at),
        base.resolve(options.get("key")),
        base.resolve(options.get("known_hosts")),
        options.containsKey("libvirt")
            ? LibvirtEndpoint.parse(options.get("libvirt"))
            : LibvirtEndpoint.SYSTEM_SOCKET,
        options.get("peer"),
        options.get("vtep"));
  }
}
