// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.slaves;

import hudson.model.Descriptor;
import hudson.model.Node;

public abstract class NodeDescriptor extends Descriptor<Node> {
  protected NodeDescriptor(Class<? extends Node> clazz) {
    super(clazz);
  }

  protected NodeDescriptor() {}

  public boolean isInstantiable() {
    return true;
  }
}
