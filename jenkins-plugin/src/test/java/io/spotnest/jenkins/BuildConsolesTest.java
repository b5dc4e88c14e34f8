package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Action;
import hudson.model.Job;
import hudson.model.ParametersAction;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.queue.SubTask;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Jenkins side of the build-log seam: whose console a line goes to, and which build an executor
 * runs.
 */
class BuildConsolesTest {

  /** A job as Jenkins' own projects are: a queue task. */
  static final class TestJob extends Job<TestJob, TestRun> implements Queue.Task {}

  /** A build as a freestyle build is: the run is the executable. */
  static final class TestRun extends Run<TestJob, TestRun> implements Queue.Executable {
    final TestJob job = new TestJob();
    final String id;
    ParametersAction parameters;

    TestRun(String id) {
      this.id = id;
    }

    @Override
    public TestJob getParent() {
      return job;
    }

    @Override
    public String getExternalizableId() {
      return id;
    }

    @Override
    public <T extends Action> T getAction(Class<T> type) {
      return type.isInstance(parameters) ? type.cast(parameters) : null;
    }

    @Override
    public void run() {}
  }

  /** A part of a build, as a Pipeline {@code node} block is on an agent's executor. */
  record NodeBlock(TestRun build) implements Queue.Executable, SubTask {
    @Override
    public SubTask getParent() {
      return this;
    }

    @Override
    public Queue.Executable getParentExecutable() {
      return build;
    }

    @Override
    public Queue.Task getOwnerTask() {
      return build.getParent();
    }

    @Override
    public void run() {}
  }

  /** A job that is no queue task (e.g. a broken or foreign job type). */
  static final class PlainJob extends Job<PlainJob, PlainRun> {}

  /** A build of such a job. */
  static final class PlainRun extends Run<PlainJob, PlainRun> {
    @Override
    public PlainJob getParent() {
      return new PlainJob();
    }
  }

  private final BuildConsoles consoles = new BuildConsoles();

  @Test
  void a_line_goes_to_the_console_the_build_started_with_until_it_completes() {
    TestRun run = new TestRun("app#7");
    TestRun other = new TestRun("app#8");
    Listeners console = Listeners.capture();
    Listeners otherConsole = Listeners.capture();
    consoles.onStarted(run, console);
    consoles.onStarted(other, otherConsole);
    JenkinsAgentBuilds.OnExecutor build = new JenkinsAgentBuilds.OnExecutor(run, null, consoles);

    build.println("[SpotNest] moved");
    assertEquals("[SpotNest] moved" + System.lineSeparator(), console.text());
    assertEquals("", otherConsole.text());

    consoles.onCompleted(run, console);
    build.println("too late");
    assertTrue(consoles.of(run).isEmpty());
    assertEquals(
        "[SpotNest] moved" + System.lineSeparator(), console.text(), "nothing after completion");
    consoles.onFinalized(other);
    assertTrue(consoles.of(other).isEmpty());
  }

  @Test
  void the_build_of_an_executor_is_the_run_itself_or_the_run_a_node_block_belongs_to() {
    TestRun freestyle = new TestRun("app#7");
    TestRun pipeline = new TestRun("pipe#2");
    assertSame(freestyle, JenkinsAgentBuilds.runOf(freestyle));
    assertSame(pipeline, JenkinsAgentBuilds.runOf(new NodeBlock(pipeline)));
    assertNull(JenkinsAgentBuilds.runOf(null), "an idle executor");
  }

  @Test
  void a_builds_id_and_parameters_come_from_its_run() {
    TestRun run = new TestRun("folder/app#7");
    JenkinsAgentBuilds.OnExecutor build = new JenkinsAgentBuilds.OnExecutor(run, null, consoles);
    assertEquals("folder/app#7", build.id());
    assertEquals(List.of(), build.parameters());
    FakeAgentBuild.Param branch = new FakeAgentBuild.Param("BRANCH", "main");
    run.parameters = new ParametersAction(List.of(branch));
    assertEquals(List.of(branch), build.parameters());
  }

  @Test
  void a_build_whose_job_is_no_queue_task_is_not_rescheduled() {
    JenkinsAgentBuilds.OnExecutor build =
        new JenkinsAgentBuilds.OnExecutor(new PlainRun(), null, consoles);
    Requeue requeue = build.reschedule(List.of());
    assertFalse(requeue.accepted(), "refused, so the log says so instead of claiming a reschedule");
    assertEquals("its job is not a task Jenkins can queue", requeue.detail());
  }
}
