// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

public interface ModelObject {
  String getDisplayName();
}
