package io.spotnest.hosts.ec2;

import io.spotnest.hosts.Pool;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link Ec2Settings} from a {@code key = value} file ({@code #} starts a comment). Every
 * error names the file, the line and the key. Durations are written {@code 500ms}, {@code 2s},
 * {@code 3m} or {@code 1h}. See docs/aws.md.
 */
public final class Ec2SettingsFile {
  private static final Set<String> KEYS =
      Set.of(
          "cluster",
          "region",
          "image",
          "pools",
          "securityGroups",
          "instanceProfile",
          "cap.hosts",
          "cap.spotHosts",
          "fallback.onDemand",
          "retry.attemptsPerPool",
          "retry.baseDelay",
          "retry.maxDelay",
          "unavailableTtl",
          "libvirt",
          "relay.url",
          "sqs.queueUrl",
          "endpoint.ec2",
          "endpoint.sqs",
          "timeout.apiCall",
          "disk.gib",
          "disk.device");
  private static final String PRICE = "price.onDemand.";
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private record Entry(int line, String value) {}

  private final String name;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Map<String, Entry> subnets = new HashMap<>();
  private final Map<String, Entry> prices = new HashMap<>();

  private Ec2SettingsFile(String name) {
    this.name = name;
  }

  public static Ec2Settings read(Path file) throws IOException {
    return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  /** Parses the lines of a settings file called {@code name} (used in error messages). */
  public static Ec2Settings parse(String name, List<String> lines) {
    Ec2SettingsFile f = new Ec2SettingsFile(name);
    for (int i = 0; i < lines.size(); i++) {
      f.line(i + 1, lines.get(i));
    }
    return f.settings();
  }

  private void line(int number, String raw) {
    String text = raw.strip();
    if (text.isEmpty() || text.startsWith("#")) {
      return;
    }
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException(
          name + ":" + number + ": expected <key> = <value>, got '" + text + "'");
    }
    String key = text.substring(0, eq).strip();
    String value = text.substring(eq + 1).strip();
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + ":" + number + ": " + key + ": value is empty");
    }
    Map<String, Entry> target =
        key.startsWith("subnet.") ? subnets : key.startsWith(PRICE) ? prices : entries;
    if (target == entries && !KEYS.contains(key)) {
      throw new IllegalArgumentException(
          name
              + ":"
              + number
              + ": unknown key '"
              + key
              + "' (known: "
              + String.join(", ", KEYS.stream().sorted().toList())
              + ", subnet.<zone>, "
              + PRICE
              + "<instanceType>)");
    }
    String field =
        target == subnets
            ? key.substring("subnet.".length())
            : target == prices ? key.substring(PRICE.length()) : key;
    Entry previous = target.put(field, new Entry(number, value));
    if (previous != null) {
      throw new IllegalArgumentException(
          name + ":" + number + ": " + key + ": already set on line " + previous.line());
    }
  }

  private Ec2Settings settings() {
    String cluster = required("cluster", v -> v);
    String region = required("region", v -> v);
    List<Pool> pools =
        required(
            "pools",
            v -> Arrays.stream(v.split(",")).map(s -> Pool.parse("pools", s.strip())).toList());
    Map<String, String> subnetIds = new HashMap<>();
    subnets.forEach((zone, e) -> subnetIds.put(zone, e.value()));
    List<String> groups =
        field(
            "securityGroups",
            v -> Arrays.stream(v.split(",")).map(String::strip).toList(),
            List.of());
    int maxHosts = required("cap.hosts", Integer::parseInt);
    int maxSpot = field("cap.spotHosts", Integer::parseInt, maxHosts);
    Duration base = field("retry.baseDelay", Ec2SettingsFile::duration, Duration.ofSeconds(1));
    Duration max = field("retry.maxDelay", Ec2SettingsFile::duration, Duration.ofSeconds(20));
    Map<String, BigDecimal> onDemandPrices = new HashMap<>();
    prices.forEach((type, e) -> onDemandPrices.put(type, price(type, e)));
    try {
      return new Ec2Settings(
          cluster,
          region,
          required("image", v -> v),
          pools,
          subnetIds,
          groups,
          optional("instanceProfile", v -> v),
          maxHosts,
          maxSpot,
          field("fallback.onDemand", Ec2SettingsFile::bool, false),
          field("retry.attemptsPerPool", Integer::parseInt, 3),
          new Backoff(base, max),
          field("unavailableTtl", Ec2SettingsFile::duration, Duration.ofMinutes(3)),
          field("libvirt", Ec2SettingsFile::libvirt, LibvirtAccess.TLS),
          required("relay.url", Ec2SettingsFile::uri),
          optional("sqs.queueUrl", v -> v),
          optional("endpoint.ec2", Ec2SettingsFile::uri),
          optional("endpoint.sqs", Ec2SettingsFile::uri),
          field("timeout.apiCall", Ec2SettingsFile::duration, Duration.ofSeconds(10)),
          optional("disk.gib", Integer::parseInt),
          field("disk.device", v -> v, "/dev/xvda"),
          onDemandPrices);
    } catch (IllegalArgumentException e) {
      if (e.getMessage().startsWith(name + ":")) {
        throw e; // already names file, line and key
      }
      // The record names the key; add the line it was set on.
      String key = e.getMessage().substring(0, Math.max(0, e.getMessage().indexOf(':')));
      Entry entry = key.startsWith("subnet.") ? subnets.get(key.substring(7)) : entries.get(key);
      String where = entry == null ? name : name + ":" + entry.line();
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  private <T> T required(String key, Function<String, T> parse) {
    if (!entries.containsKey(key)) {
      throw new IllegalArgumentException(name + ": " + key + ": required but missing");
    }
    return field(key, parse, null);
  }

  private <T> Optional<T> optional(String key, Function<String, T> parse) {
    return Optional.ofNullable(field(key, parse, null));
  }

  /** The parsed value, or {@code fallback} when the key is absent. */
  private <T> T field(String key, Function<String, T> parse, T fallback) {
    Entry e = entries.get(key);
    if (e == null) {
      return fallback;
    }
    try {
      return parse.apply(e.value());
    } catch (RuntimeException ex) {
      String msg =
          ex instanceof NumberFormatException
              ? "not a whole number: '" + e.value() + "'"
              : ex.getMessage();
      throw new IllegalArgumentException(name + ":" + e.line() + ": " + key + ": " + msg, ex);
    }
  }

  private BigDecimal price(String type, Entry e) {
    try {
      return new BigDecimal(e.value());
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException(
          name
              + ":"
              + e.line()
              + ": "
              + PRICE
              + type
              + ": not a price in USD per hour: '"
              + e.value()
              + "'",
          ex);
    }
  }

  static Duration duration(String v) {
    Matcher m = DURATION.matcher(v);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a duration like 500ms, 2s, 3m or 1h, got '" + v + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  private static LibvirtAccess libvirt(String v) {
    for (LibvirtAccess a : LibvirtAccess.values()) {
      if (a.configName().equals(v)) {
        return a;
      }
    }
    throw new IllegalArgumentException("expected tls or ssh, got '" + v + "'");
  }

  private static boolean bool(String v) {
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException("expected true or false, got '" + v + "'");
    }
    return Boolean.parseBoolean(v);
  }

  private static URI uri(String v) {
    try {
      return new URI(v);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URI: '" + v + "'");
    }
  }
}
