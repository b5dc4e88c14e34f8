package io.spotnest.jenkins;

import hudson.model.Action;
import hudson.model.ParameterValue;
import java.util.List;
import jenkins.model.CauseOfInterruption;

/**
 * One build running on an executor of a SpotNest agent, as the build-log relay needs it (a seam
 * over Jenkins).
 */
public interface AgentBuild {

  /** Identifies the build across calls (Jenkins' externalizable id, e.g. {@code folder/job#12}). */
  String id();

  /** Appends a line to this build's own console log. */
  void println(String line);

  /** The values of the build's parameters; empty for a build without parameters. */
  List<ParameterValue> parameters();

  /**
   * Puts the build's job in the queue again with these actions: the queue item it waits as, or why
   * Jenkins refused.
   */
  Requeue reschedule(List<Action> actions);

  /** Aborts the build, recording why. */
  void abort(CauseOfInterruption cause);
}
