// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

public interface Describable<T extends Describable<T>> {
  default Descriptor<T> getDescriptor() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }
}
