package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config disk's image, read back by GNU tar the way the agent image's boot service does. */
class ConfigDiskTest {

  static ConfigDisk disk(String secret) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(
        "agent.env",
        "SN_CONTROLLER_URL=http://127.0.0.1:8080/\nSN_AGENT_NAME=agent-1\n"
            .getBytes(StandardCharsets.US_ASCII));
    files.put("agent-secret", (secret + "\n").getBytes(StandardCharsets.US_ASCII));
    return new ConfigDisk(files);
  }

  @Test
  void the_image_is_a_one_mib_tar_archive_the_boot_service_extracts(@TempDir Path dir)
      throws Exception {
    byte[] image = disk("s3cr3tvalue").image();
    assertEquals(1 << 20, image.length);
    Path img = dir.resolve("config.img");
    Files.write(img, image);
    Path out = Files.createDirectory(dir.resolve("out"));

    // sn-agent-sysinit: tar -x -f "$CONFIG" -C "$SN_STATE/config" --no-same-owner
    // --no-same-permissions
    Process tar =
        new ProcessBuilder(
                "tar",
                "-x",
                "-f",
                img.toString(),
                "-C",
                out.toString(),
                "--no-same-owner",
                "--no-same-permissions")
            .redirectErrorStream(true)
            .start();
    String said = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(tar.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, tar.exitValue(), said);
    assertEquals("", said, "tar warned");
    assertEquals(
        "SN_CONTROLLER_URL=http://127.0.0.1:8080/\nSN_AGENT_NAME=agent-1\n",
        Files.readString(out.resolve("agent.env")));
    assertEquals("s3cr3tvalue\n", Files.readString(out.resolve("agent-secret")));

    Process list =
        new ProcessBuilder("tar", "--numeric-owner", "-tvf", img.toString())
            .redirectErrorStream(true)
            .start();
    String listing = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(list.waitFor(30, TimeUnit.SECONDS));
    assertTrue(listing.startsWith("-rw------- 0/0"), listing);
    assertEquals(2, listing.lines().count(), listing);
  }

  @Test
  void the_same_files_give_the_same_image_and_the_secret_is_never_printed() {
    ConfigDisk d = disk("s3cr3tvalue");
    assertArrayEquals(d.image(), disk("s3cr3tvalue").image());
    assertFalse(d.toString().contains("s3cr3tvalue"), d.toString());
    assertEquals("ConfigDisk[agent.env, agent-secret]", d.toString());
    d.files().get("agent-secret")[0] = 'X';
    assertArrayEquals(disk("s3cr3tvalue").image(), d.image(), "the disk's files were changed");
  }

  @Test
  void files_that_do_not_fit_or_bad_names_are_refused_naming_the_field() {
    IllegalArgumentException big =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ConfigDisk(Map.of("big", new byte[ConfigDisk.SIZE_BYTES])));
    assertTrue(big.getMessage().startsWith("config disk:"), big.getMessage());
    IllegalArgumentException name =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ConfigDisk(Map.of("../etc/passwd", new byte[1])));
    assertTrue(name.getMessage().contains("file name"), name.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ConfigDisk(Map.of()));
  }

  @Test
  void the_volume_is_named_after_the_vm() {
    assertEquals("agent-1-config.img", ConfigDisk.volumeName("agent-1"));
  }
}
