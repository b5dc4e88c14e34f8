// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import hudson.model.queue.FoldableAction;
import java.util.ArrayList;
import java.util.List;

// The real class also implements RunAction2.
public class CauseAction implements FoldableAction {
  private final List<Cause> causes = new ArrayList<>();

  public CauseAction(Cause c) {
    causes.add(c);
  }

  public List<Cause> getCauses() {
    return List.copyOf(causes);
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
