// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.slaves;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.ExtensionPoint;
import hudson.model.Actionable;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Label;
import hudson.security.ACL;
import hudson.security.AccessControlled;
import hudson.slaves.NodeProvisioner.PlannedNode;
import java.util.Collection;

public abstract class Cloud extends Actionable
    implements ExtensionPoint, Describable<Cloud>, AccessControlled {
  public String name;

  protected Cloud(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("Cloud name must not be empty");
    }
    this.name = name;
  }

  public String getDisplayName() {
    return name;
  }

  public @NonNull String getUrl() {
    return "cloud/" + name + "/";
  }

  @Override
  public ACL getACL() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  @Deprecated
  public Collection<PlannedNode> provision(Label label, int excessWorkload) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public Collection<PlannedNode> provision(CloudState state, int excessWorkload) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  @Deprecated
  public boolean canProvision(Label label) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public boolean canProvision(CloudState state) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  @Override
  public Descriptor<Cloud> getDescriptor() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public static final class CloudState {
    @CheckForNull private final Label label;
    private final int additionalPlannedCapacity;

    public CloudState(@CheckForNull Label label, int additionalPlannedCapacity) {
      this.label = label;
      this.additionalPlannedCapacity = additionalPlannedCapacity;
    }

    @CheckForNull
    public Label getLabel() {
      return label;
    }

    public int getAdditionalPlannedCapacity() {
      return additionalPlannedCapacity;
    }
  }
}
