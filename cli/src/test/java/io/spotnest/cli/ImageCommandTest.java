package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCommandTest {

  @Test
  void anOutThatIsAFileIsRefusedInOneLineWithExitCode2(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    CliRun r = CliRun.run(new ForbiddenLabs(), "image", "build", "--out", file.toString());
    assertEquals(2, r.exit(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(
        r.err().contains("--out") && r.err().contains(file + " is not a directory"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void imageWithoutASubcommandListsBuild() {
    CliRun r = CliRun.run(new ForbiddenLabs(), "image");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("build"), r.out());
  }
}
