// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.slaves.ComputerLauncher;
import hudson.slaves.NodeDescriptor;
import hudson.slaves.RetentionStrategy;
import hudson.slaves.SlaveComputer;
import java.io.IOException;
import java.io.Serializable;
import org.kohsuke.stapler.DataBoundSetter;

// Bodies are minimal field stores so plain unit tests can build agents; the real ones also touch
// Jenkins.
public abstract class Slave extends Node implements Serializable {
  protected String name;
  protected final String remoteFS;
  private String description = "";
  private int numExecutors = 1;
  private Mode mode = Mode.NORMAL;
  private String label = "";
  private ComputerLauncher launcher;
  private RetentionStrategy retentionStrategy;

  protected Slave(@NonNull String name, String remoteFS, ComputerLauncher launcher)
      throws Descriptor.FormException, IOException {
    this.name = name;
    this.remoteFS = remoteFS;
    this.launcher = launcher;
  }

  public ComputerLauncher getLauncher() {
    return launcher;
  }

  public void setLauncher(ComputerLauncher launcher) {
    this.launcher = launcher;
  }

  public String getRemoteFS() {
    return remoteFS;
  }

  @NonNull
  @Override
  public String getNodeName() {
    return name;
  }

  @Override
  public void setNodeName(String name) {
    this.name = name;
  }

  @DataBoundSetter
  public void setNodeDescription(String value) {
    this.description = value;
  }

  @Override
  public String getNodeDescription() {
    return description;
  }

  @Override
  public int getNumExecutors() {
    return numExecutors;
  }

  @DataBoundSetter
  public void setNumExecutors(int n) {
    this.numExecutors = n;
  }

  @Override
  public Mode getMode() {
    return mode;
  }

  @DataBoundSetter
  public void setMode(Mode mode) {
    this.mode = mode;
  }

  public RetentionStrategy getRetentionStrategy() {
    return retentionStrategy;
  }

  @DataBoundSetter
  public void setRetentionStrategy(RetentionStrategy availabilityStrategy) {
    this.retentionStrategy = availabilityStrategy;
  }

  @Override
  public String getLabelString() {
    return label;
  }

  @DataBoundSetter
  @Override
  public void setLabelString(String labelString) throws IOException {
    this.label = labelString;
  }

  @Override
  public Computer createComputer() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  @CheckForNull
  public SlaveComputer getComputer() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  @Override
  public SlaveDescriptor getDescriptor() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public abstract static class SlaveDescriptor extends NodeDescriptor {}
}
