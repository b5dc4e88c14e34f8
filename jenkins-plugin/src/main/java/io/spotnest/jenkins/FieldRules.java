package io.spotnest.jenkins;

import io.spotnest.jenkins.orchestrator.StaticHostList;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules for every configuration field, shared by the form checks and the setters (so
 * configuration as code is held to the same rules). Each rule returns {@code null} when the value
 * is fine, else one line naming the field.
 */
final class FieldRules {
  static final int MAX_INIT_SCRIPT_CHARS = 16 * 1024;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  private static final Pattern LABEL_ATOM = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@-]*");
  private static final Pattern MARKET_FEED = Pattern.compile("[A-Za-z0-9._/+-]*\\.json");
  private static final Pattern IMAGES_DIR = Pattern.compile("/[A-Za-z0-9._/+-]*");
  private static final Pattern BRIDGE = Pattern.compile("[A-Za-z0-9_-]{1,15}");

  private FieldRules() {}

  static String cloudName(String value) {
    if (isBlank(value)) {
      return "name: required, e.g. spotnest";
    }
    return NAME.matcher(value.trim()).matches()
        ? null
        : "name: use letters, digits, '.', '_' or '-' (starting with a letter or digit)";
  }

  static String labels(String value) {
    if (isBlank(value)) {
      return "labels: required; builds pick agents by label, e.g. 'linux spotnest'";
    }
    for (String atom : value.trim().split("\\s+")) {
      if (!LABEL_ATOM.matcher(atom).matches()) {
        return "labels: '"
            + atom
            + "' is not a plain label; separate labels by spaces and use letters,"
            + " digits, '.', '_' or '-' (expressions such as && belong in the job)";
      }
    }
    return null;
  }

  static Set<String> labelSet(String value) {
    if (isBlank(value)) {
      return Set.of();
    }
    return new LinkedHashSet<>(Arrays.asList(value.trim().split("\\s+")));
  }

  static String range(String field, int value, int min, int max) {
    return value >= min && value <= max
        ? null
        : field + ": must be between " + min + " and " + max + ", was " + value;
  }

  /** Parses a form value, then applies {@link #range}. */
  static String range(String field, String value, int min, int max) {
    if (isBlank(value)) {
      return field + ": required, a whole number between " + min + " and " + max;
    }
    try {
      return range(field, Integer.parseInt(value.trim()), min, max);
    } catch (NumberFormatException e) {
      return field + ": '" + value.trim() + "' is not a whole number";
    }
  }

  static String image(String value) {
    if (isBlank(value)) {
      return "image: required, the agent image the VM boots";
    }
    return IMAGE.matcher(value.trim()).matches()
        ? null
        : "image: '" + value.trim() + "' is not an image name";
  }

  static String remoteFs(String value) {
    if (isBlank(value)) {
      return "remoteFs: required, an absolute path inside the VM, e.g. /home/jenkins/agent";
    }
    String path = value.trim();
    return path.startsWith("/") && !path.contains("..")
        ? null
        : "remoteFs: must be an absolute path without '..', e.g. /home/jenkins/agent";
  }

  static String initScript(String value) {
    return value == null || value.length() <= MAX_INIT_SCRIPT_CHARS
        ? null
        : "initScript: at most " + MAX_INIT_SCRIPT_CHARS + " characters, was " + value.length();
  }

  static String staticHosts(String value) {
    if (isBlank(value)) {
      return null;
    }
    try {
      StaticHostList.parse(value, Path.of("/"));
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  static String imagesDir(String value) {
    if (isBlank(value)) {
      return "imagesDir: required, the directory holding the agent images on every host";
    }
    String dir = value.trim();
    return IMAGES_DIR.matcher(dir).matches() && !dir.contains("..")
        ? null
        : "imagesDir: must be an absolute path of letters, digits, '.', '_', '/', '+' or '-',"
            + " e.g. /var/lib/spotnest/images";
  }

  /**
   * The market feed file: empty, or a path (absolute, or relative to $JENKINS_HOME/spotnest) of
   * letters, digits, '.', '_', '/', '+', '-', ending in .json, never through "..".
   */
  static String marketFeed(String value) {
    if (isBlank(value)) {
      return null;
    }
    String file = value.trim();
    return MARKET_FEED.matcher(file).matches() && !file.contains("..")
        ? null
        : "marketFeed: must be a .json file path of letters, digits, '.', '_', '/', '+' or '-',"
            + " absolute or relative to $JENKINS_HOME/spotnest, e.g. market-feed.json";
  }

  static String bridge(String value) {
    if (isBlank(value)) {
      return "bridge: required, the host bridge agent VMs join, e.g. br0";
    }
    return BRIDGE.matcher(value.trim()).matches()
        ? null
        : "bridge: '"
            + value.trim()
            + "' is not an interface name (1-15 letters, digits, '_', '-')";
  }

  static String jenkinsUrl(String value) {
    if (isBlank(value)) {
      return null;
    }
    String url = value.trim();
    return (url.startsWith("http://") || url.startsWith("https://")) && !url.contains(" ")
        ? null
        : "jenkinsUrl: must start with http:// or https://, e.g. http://jenkins.example:8080/";
  }

  /**
   * Throws the rule's message for configuration that bypasses the form (configuration as code,
   * scripts).
   */
  static void require(String problem) {
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
