// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.util;

public interface VariableResolver<V> {
  V resolve(String name);
}
