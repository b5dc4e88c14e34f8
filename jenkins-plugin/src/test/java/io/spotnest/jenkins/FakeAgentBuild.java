package io.spotnest.jenkins;

import hudson.model.Action;
import hudson.model.ParameterValue;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.CauseOfInterruption;

/** A build on an agent's executor that records what was done to it, in order. */
final class FakeAgentBuild implements AgentBuild {
  final String id;
  final List<ParameterValue> parameters;
  final List<String> console = new ArrayList<>();
  final List<List<Action>> scheduled = new ArrayList<>();
  final List<CauseOfInterruption> aborted = new ArrayList<>();
  final List<String> steps = new ArrayList<>();

  /** What Jenkins' queue answers when the build is rescheduled. */
  Requeue requeue = Requeue.newItem(42);

  /**
   * What rescheduling throws (as Jenkins' queue may, from a plugin's extension); none when null.
   */
  RuntimeException failure;

  FakeAgentBuild(String id, ParameterValue... parameters) {
    this.id = id;
    this.parameters = List.of(parameters);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public void println(String line) {
    console.add(line);
    steps.add("println");
  }

  @Override
  public List<ParameterValue> parameters() {
    return parameters;
  }

  @Override
  public Requeue reschedule(List<Action> actions) {
    scheduled.add(List.copyOf(actions));
    steps.add("reschedule");
    if (failure != null) {
      throw failure;
    }
    return requeue;
  }

  @Override
  public void abort(CauseOfInterruption cause) {
    aborted.add(cause);
    steps.add("abort");
  }

  /** A string parameter for tests. */
  static final class Param extends ParameterValue {
    private static final long serialVersionUID = 1L;
    final String value;

    Param(String name, String value) {
      super(name);
      this.value = value;
    }
  }
}
