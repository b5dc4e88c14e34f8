package io.spotnest.migration;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An agent VM's config disk: a few small files packed as a ustar archive at the start of a 1 MiB
 * raw image, attached read-only as the VM's {@code vdb}; the agent image's boot service extracts it
 * with tar (nested-agent-image, {@code sn.config}). It holds the agent's secret, so {@link
 * #toString()} names the files only.
 *
 * @param files the files by name, in archive order
 */
public record ConfigDisk(Map<String, byte[]> files) {

  /** The guest device the disk is attached as. */
  public static final String TARGET = "vdb";

  /** The size of the raw image. */
  public static final int SIZE_BYTES = 1 << 20;

  public ConfigDisk {
    Objects.requireNonNull(files, "files");
    if (files.isEmpty()) {
      throw new IllegalArgumentException("config disk: no files");
    }
    Map<String, byte[]> copy = new LinkedHashMap<>();
    files.forEach(
        (name, content) -> {
          if (name == null || !name.matches("[A-Za-z0-9._-]{1,100}") || name.matches("\\.+")) {
            throw new IllegalArgumentException(
                "config disk: file name must be 1-100 letters, digits, '.', '_' or '-', was '"
                    + name
                    + "'");
          }
          copy.put(name, Objects.requireNonNull(content, name).clone());
        });
    files = Collections.unmodifiableMap(copy);
    UstarImage.of(files, SIZE_BYTES); // refuses files that do not fit
  }

  /** The pool volume holding the config disk of {@code vmName}. */
  public static String volumeName(String vmName) {
    return vmName + "-config.img";
  }

  /** The raw image: the archive, zero-padded to {@link #SIZE_BYTES}. */
  public byte[] image() {
    return UstarImage.of(files, SIZE_BYTES);
  }

  @Override
  public Map<String, byte[]> files() {
    Map<String, byte[]> copy = new LinkedHashMap<>();
    files.forEach((n, c) -> copy.put(n, c.clone()));
    return copy;
  }

  @Override
  public String toString() {
    return "ConfigDisk" + files.keySet();
  }
}
