// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.Serializable;

// The real class also implements CustomExportedBean.
public final class Result implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final @NonNull Result ABORTED = new Result("ABORTED");

  private final String name;

  private Result(String name) {
    this.name = name;
  }

  @Override
  public String toString() {
    return name;
  }
}
