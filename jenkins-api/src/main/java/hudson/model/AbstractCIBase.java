// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;

public abstract class AbstractCIBase extends Node {
  @NonNull
  @Override
  @Deprecated
  public String getNodeName() {
    return "";
  }
}
