// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

// The real class also implements RunAction2, Iterable<ParameterValue>,
// EnvironmentContributingAction and
// LabelAssignmentAction, and filters the parameters by the job's definitions once attached to a
// build.
public class ParametersAction implements Queue.QueueAction {
  private final List<ParameterValue> parameters;

  public ParametersAction(@NonNull List<ParameterValue> parameters) {
    this.parameters = new ArrayList<>(parameters);
  }

  public List<ParameterValue> getParameters() {
    return Collections.unmodifiableList(parameters);
  }

  @Override
  public String getDisplayName() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  @Override
  public String getIconFileName() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  @Override
  public String getUrlName() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }
}
