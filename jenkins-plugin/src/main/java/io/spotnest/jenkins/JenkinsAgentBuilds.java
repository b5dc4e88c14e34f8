package io.spotnest.jenkins;

import hudson.model.Action;
import hudson.model.Computer;
import hudson.model.Executor;
import hudson.model.ParameterValue;
import hudson.model.ParametersAction;
import hudson.model.Queue;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.queue.ScheduleResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import jenkins.model.CauseOfInterruption;
import jenkins.model.Jenkins;

/**
 * The builds on an agent's executors, found the way Jenkins links them: {@code Computer → Executor
 * → Queue.Executable}, which is the {@link Run} itself (freestyle) or a part of it whose {@link
 * Queue.Executable#getParentExecutable()} is the Run (a Pipeline {@code node} block).
 */
final class JenkinsAgentBuilds implements AgentBuilds {
  private final Supplier<BuildConsoles> consoles;

  JenkinsAgentBuilds(Supplier<BuildConsoles> consoles) {
    this.consoles = consoles;
  }

  @Override
  public List<AgentBuild> running(String agentName) {
    Computer computer = Jenkins.get().getComputer(agentName);
    if (computer == null) {
      return List.of();
    }
    List<AgentBuild> builds = new ArrayList<>();
    for (Executor executor : computer.getExecutors()) {
      Queue.Executable executable = executor.getCurrentExecutable();
      Run<?, ?> run = runOf(executable);
      if (run != null) {
        builds.add(new OnExecutor(run, executor, consoles.get()));
      }
    }
    return builds;
  }

  /** The build an executable belongs to, or null (idle executor, or a task that is no build). */
  static Run<?, ?> runOf(Queue.Executable executable) {
    if (executable instanceof Run<?, ?> run) {
      return run;
    }
    if (executable != null && executable.getParentExecutable() instanceof Run<?, ?> parent) {
      return parent;
    }
    return null;
  }

  /** One build, through the executor that runs (a part of) it. */
  record OnExecutor(Run<?, ?> run, Executor executor, BuildConsoles consoles)
      implements AgentBuild {
    @Override
    public String id() {
      return run.getExternalizableId();
    }

    @Override
    public void println(String line) {
      consoles.of(run).ifPresent(console -> console.getLogger().println(line));
    }

    @Override
    public List<ParameterValue> parameters() {
      ParametersAction parameters = run.getAction(ParametersAction.class);
      return parameters == null ? List.of() : parameters.getParameters();
    }

    /**
     * The build's own job goes in the queue (for a Pipeline, the job, never the {@code node}
     * block's task).
     */
    @Override
    public Requeue reschedule(List<Action> actions) {
      if (!(run.getParent() instanceof Queue.Task job)) {
        return Requeue.refused("its job is not a task Jenkins can queue");
      }
      ScheduleResult result = Queue.getInstance().schedule2(job, 0, actions);
      Queue.Item item = result.getItem();
      if (result.isRefused() || item == null) {
        // core refuses only when a QueueDecisionHandler (an extension) vetoes the item
        return Requeue.refused("a queue decision handler vetoed it");
      }
      return result.isCreated() ? Requeue.newItem(item.getId()) : Requeue.joined(item.getId());
    }

    @Override
    public void abort(CauseOfInterruption cause) {
      executor.interrupt(Result.ABORTED, cause);
    }
  }
}
