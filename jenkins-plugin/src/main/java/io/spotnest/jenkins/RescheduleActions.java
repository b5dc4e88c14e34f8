package io.spotnest.jenkins;

import hudson.model.Action;
import hudson.model.CauseAction;
import hudson.model.ParameterValue;
import hudson.model.ParametersAction;
import java.util.ArrayList;
import java.util.List;

/**
 * The queue actions of a rescheduled build: the typed cause, and the lost build's parameters
 * unchanged.
 */
final class RescheduleActions {
  private RescheduleActions() {}

  static List<Action> of(SpotNestRescheduleCause cause, List<ParameterValue> parameters) {
    List<Action> actions = new ArrayList<>();
    actions.add(new CauseAction(cause));
    if (!parameters.isEmpty()) {
      actions.add(new ParametersAction(parameters));
    }
    return actions;
  }
}
