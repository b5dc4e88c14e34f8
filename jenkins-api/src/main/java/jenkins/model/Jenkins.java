// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package jenkins.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.Nullable;
import hudson.model.AbstractCIBase;
import hudson.model.Computer;
import hudson.model.Descriptor;
import hudson.model.Hudson;
import hudson.model.Node;
import hudson.security.Permission;
import hudson.slaves.Cloud;
import hudson.slaves.NodeDescriptor;
import hudson.util.DescribableList;
import java.io.File;
import java.util.List;

public class Jenkins extends AbstractCIBase {
  // The real constructors (protected) take (File, ServletContext[, PluginManager]); nothing outside
  // Jenkins calls them. This one is protected so that hudson.model.Hudson can extend Jenkins.
  protected Jenkins() {}

  // Declared as Hudson.CloudList, a subclass Hudson declares itself: the field descriptor is
  // Lhudson/model/Hudson$CloudList; (with Jenkins.CloudList a real Jenkins throws
  // NoSuchFieldError).
  public final Hudson.CloudList clouds = new Hudson.CloudList();

  public static class CloudList extends DescribableList<Cloud, Descriptor<Cloud>> {
    // The real class also has CloudList(Jenkins), which hands Jenkins to the list as its owner.
    public CloudList() {}
  }

  @NonNull
  public static Jenkins get() throws IllegalStateException {
    throw new IllegalStateException("compile-only Jenkins API: no Jenkins in this JVM");
  }

  public static Jenkins getInstanceOrNull() {
    return null;
  }

  public @Nullable String getRootUrl() throws IllegalStateException {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public Cloud getCloud(String name) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public File getRootDir() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public @CheckForNull Computer getComputer(@NonNull String name) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public List<Node> getNodes() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  @Override
  public NodeDescriptor getDescriptor() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  @Override
  public void setNodeName(String name) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  @Override
  public String getNodeDescription() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  @Override
  public int getNumExecutors() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  @Override
  public Mode getMode() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  @Override
  public String getLabelString() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  @Override
  public Computer createComputer() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public static final Permission ADMINISTER = Permission.HUDSON_ADMINISTER;
}
