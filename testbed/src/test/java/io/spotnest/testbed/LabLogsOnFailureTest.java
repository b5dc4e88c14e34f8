package io.spotnest.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabLogsOnFailureTest {

  @TempDir Path dir;

  private Path keptLab(String name, long at, Path index) throws Exception {
    Path lab = dir.resolve("kept-logs/" + name);
    for (String host : new String[] {"hosta", "hostb"}) {
      Files.createDirectories(lab.resolve(host + "/qemu"));
      Files.writeString(
          lab.resolve(host + "/libvirtd.log"),
          IntStream.rangeClosed(1, 100)
              .mapToObj(i -> host + " line " + i)
              .collect(Collectors.joining("\n", "", "\n")));
      Files.writeString(lab.resolve(host + "/qemu/vm.log"), "not a daemon log\n");
    }
    Files.writeString(
        index,
        at + "\t" + lab + "\n",
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    return lab;
  }

  @Test
  void a_failure_names_the_labs_removed_while_it_ran_and_shows_each_daemon_logs_end()
      throws Exception {
    Path index = dir.resolve("index.txt");
    Path earlier = keptLab("lab1-earlier", 1_000, index);
    Path during = keptLab("lab1-during", 5_000, index);
    LabLogsOnFailure listener = new LabLogsOnFailure(index, dir.resolve("reports"));

    String report = listener.report("the_move()", 2_000);

    assertTrue(
        report.contains("lab daemon logs for the failed the_move(): kept in " + during), report);
    assertFalse(report.contains(earlier.toString()), "a lab removed before the test: " + report);
    for (String host : new String[] {"hosta", "hostb"}) {
      assertTrue(report.contains(">> " + during.resolve(host + "/libvirtd.log")), report);
      assertTrue(report.contains(host + " line 61\n"), report);
      assertTrue(report.contains(host + " line 100"), report);
      assertFalse(report.contains(host + " line 60\n"), "only the last 40 lines: " + report);
    }
    assertFalse(report.contains("not a daemon log"), report);
    String classReport = listener.report("its_class", 0);
    assertTrue(classReport.contains(earlier.toString()), classReport);
    assertFalse(classReport.contains(during.toString()), "each lab is shown once: " + classReport);
    assertEquals("", listener.report("again", 0));
  }

  @Test
  void what_no_failure_needed_is_removed_when_the_run_ends() throws Exception {
    Path index = dir.resolve("index.txt");
    Path shown = keptLab("lab1-shown", 5_000, index);
    LabLogsOnFailure listener = new LabLogsOnFailure(index, dir.resolve("reports"));
    assertFalse(listener.report("failed()", 5_000).isEmpty());
    // a later, passing test's lab
    Path unneeded = keptLab("lab2-passed", 6_000, index);

    listener.testPlanExecutionFinished(null);

    assertFalse(Files.exists(unneeded), "a passing test's kept logs are removed");
    assertTrue(Files.exists(shown.resolve("hosta/libvirtd.log")), "a failure's logs stay");
    assertFalse(Files.exists(index));
  }

  @Test
  void a_class_that_failed_shows_neither_a_passing_tests_lab_nor_keeps_it() throws Exception {
    Path index = dir.resolve("index.txt");
    LabLogsOnFailure listener = new LabLogsOnFailure(index, dir.resolve("reports"));
    Path passing = keptLab("lab1-passing-test", 2_000, index);
    listener.passed(1_500); // the test that started at 1.5 s passed
    Path failing = keptLab("lab1-failing-test", 3_000, index);
    assertTrue(listener.report("failing()", 2_500).contains(failing.toString()));

    String classReport = listener.report("TheClass", 1_000);
    assertEquals("", classReport, "its class shows nothing again, nor the passing test's lab");
    listener.testPlanExecutionFinished(null);
    assertFalse(Files.exists(passing));
    assertTrue(Files.exists(failing));
  }
}
