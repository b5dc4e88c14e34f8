// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package org.kohsuke.stapler;

public interface StaplerProxy {
  Object getTarget();
}
