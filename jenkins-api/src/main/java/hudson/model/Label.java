// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.util.VariableResolver;

public abstract class Label extends Actionable implements Comparable<Label> {
  @NonNull protected final transient String name;

  protected Label(@NonNull String name) {
    this.name = name;
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
