// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import java.io.Serializable;

public abstract class ParameterValue implements Serializable {
  protected final String name;

  protected ParameterValue(String name) {
    this.name = name;
  }

  public final String getName() {
    return name;
  }
}
