// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.slaves.NodeProvisioner;
import hudson.util.VariableResolver;

public abstract class Label extends Actionable implements Comparable<Label> {
  @NonNull protected final transient String name;

  @NonNull public final transient NodeProvisioner nodeProvisioner;

  protected Label(@NonNull String name) {
    this.name = name;
    // The real constructor makes the label's provisioner over its load statistics; plain unit
    // tests have neither.
    this.nodeProvisioner = null;
  }

  public final String getName() {
    return name;
  }

  public abstract String getExpression();

  public abstract boolean matches(VariableResolver<Boolean> resolver);

  @Override
  public final int compareTo(Label that) {
    return this.name.compareTo(that.name);
  }

  @Override
  public String toString() {
    return name;
  }
}
