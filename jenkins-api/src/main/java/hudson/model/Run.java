// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;

// The real class also implements ExtensionPoint, Comparable<RunT>, AccessControlled,
// PersistenceRoot,
// DescriptorByNameOwner, OnMaster, StaplerProxy, HistoricalBuild, WithConsoleUrl.
public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>>
    extends Actionable {
  public @NonNull JobT getParent() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public String getFullDisplayName() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public @NonNull String getExternalizableId() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }
}
