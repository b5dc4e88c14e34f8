package io.spotnest.testbed;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a testbed lab test starts from: the {@code lab} tag, the prerequisites gate ({@link
 * LabPrerequisites}) before each test, a work directory of its own for the labs it starts, and a
 * shell.
 */
@Tag("lab")
abstract class LabTestCase {

  @TempDir Path work;
  final Shell shell;

  LabTestCase() {
    this(new Shell());
  }

  /** With a shell of the test's own (a longer timeout). */
  LabTestCase(Shell shell) {
    this.shell = shell;
  }

  @BeforeEach
  void prerequisites() {
    LabPrerequisites.require();
  }

  /**
   * Starts {@code lab} (a class whose {@code main} starts a lab in the work directory named by its
   * argument and prints a line beginning {@code READY }) in a JVM of its own; returns the process
   * and the fields of that line after {@code READY}. The caller kills the process.
   */
  HeldLab holdInChild(Class<?> lab) throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dspotnest.root=" + RepoRoot.find(),
                lab.getName(),
                work.toString())
            .redirectErrorStream(true)
            .start();
    try {
      var r = child.inputReader();
      String line;
      do {
        line = r.readLine();
      } while (line != null && !line.startsWith("READY "));
      assertNotNull(line, "child lab did not start");
      return new HeldLab(child, line.substring("READY ".length()).split(" "));
    } catch (Exception | AssertionError e) {
      child.destroyForcibly();
      throw e;
    }
  }

  /** A lab held by another JVM and the fields it printed when it was ready. */
  record HeldLab(Process process, String[] ready) {}
}
