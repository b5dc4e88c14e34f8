package io.spotnest.strategy.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the Spot Advisor JSON feed ({@code spot_advisor[region][Linux][type] = {"s", "r"}}, {@code
 * instance_types}).
 */
public final class SpotAdvisorReader {

  public SpotAdvisorData read(Path file) {
    try {
      return parse(file.toString(), Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read Spot Advisor data " + file + ": " + e.getMessage(), e);
    }
  }

  public SpotAdvisorData parse(String source, String text) {
    Object root = Json.parse(source, text);
    Map<?, ?> map = object(source, root, "$");
    Map<?, ?> regions = object(source, map.get("spot_advisor"), "spot_advisor");
    Map<String, Map<String, AdvisorEntry>> linux = new HashMap<>();
    for (Map.Entry<?, ?> region : regions.entrySet()) {
      String rPath = "spot_advisor." + region.getKey();
      Map<?, ?> oses = object(source, region.getValue(), rPath);
      if (oses.get("Linux") == null) {
        continue;
      }
      Map<?, ?> types = object(source, oses.get("Linux"), rPath + ".Linux");
      Map<String, AdvisorEntry> entries = new HashMap<>();
      for (Map.Entry<?, ?> type : types.entrySet()) {
        String tPath = rPath + ".Linux." + type.getKey();
        Map<?, ?> e = object(source, type.getValue(), tPath);
        int s = integer(source, e.get("s"), tPath + ".s", -1000, 100);
        int r = integer(source, e.get("r"), tPath + ".r", 0, 4);
        entries.put((String) type.getKey(), new AdvisorEntry(s, r));
      }
      linux.put((String) region.getKey(), entries);
    }
    Map<String, InstanceSpec> specs = new HashMap<>();
    if (map.get("instance_types") != null) {
      for (Map.Entry<?, ?> t :
          object(source, map.get("instance_types"), "instance_types").entrySet()) {
        String path = "instance_types." + t.getKey();
        Map<?, ?> e = object(source, t.getValue(), path);
        int cores = integer(source, e.get("cores"), path + ".cores", 1, 100_000);
        if (!(e.get("ram_gb") instanceof Number ram) || !(ram.doubleValue() > 0)) {
          throw new DataFormatException(
              source, 1, path + ".ram_gb", "must be a positive number, got " + e.get("ram_gb"));
        }
        specs.put((String) t.getKey(), new InstanceSpec(cores, ram.doubleValue()));
      }
    }
    return new SpotAdvisorData(linux, specs);
  }

  private static Map<?, ?> object(String source, Object v, String path) {
    if (!(v instanceof Map<?, ?> m)) {
      throw new DataFormatException(source, 1, path, "missing or not an object");
    }
    return m;
  }

  private static int integer(String source, Object v, String path, int min, int max) {
    if (!(v instanceof Long n) || n < min || n > max) {
      throw new DataFormatException(
          source, 1, path, "must be an integer in " + min + ".." + max + ", got " + v);
    }
    return n.intValue();
  }
}
