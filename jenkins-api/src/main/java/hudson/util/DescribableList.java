// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.util;

import hudson.model.Describable;
import hudson.model.Descriptor;

public class DescribableList<T extends Describable<T>, D extends Descriptor<T>>
    extends PersistedList<T> {
  protected DescribableList() {}
}
