// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.ExtensionPoint;
import hudson.security.ACL;
import hudson.security.AccessControlled;
import hudson.slaves.NodeDescriptor;

// The real class implements ReconfigurableDescribable<Node> (a Describable<Node>), OnMaster and
// PersistenceRoot too.
public abstract class Node extends AbstractModelObject
    implements Describable<Node>, ExtensionPoint, AccessControlled {
  public String getDisplayName() {
    return getNodeName();
  }

  @NonNull
  public abstract String getNodeName();

  public abstract void setNodeName(String name);

  public abstract String getNodeDescription();

  public abstract int getNumExecutors();

  public abstract Mode getMode();

  @CheckForNull
  public final Computer toComputer() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  @CheckForNull
  protected abstract Computer createComputer();

  public boolean isAcceptingTasks() {
    return true;
  }

  public abstract String getLabelString();

  public void setLabelString(String labelString) throws java.io.IOException {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  @NonNull
  @Override
  public ACL getACL() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  @Override
  public abstract NodeDescriptor getDescriptor();

  public enum Mode {
    NORMAL,
    EXCLUSIVE
  }
}
