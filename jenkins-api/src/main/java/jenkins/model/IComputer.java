// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package jenkins.model;

import hudson.security.ACL;
import hudson.security.AccessControlled;

// The real interface also extends IconSpec, ModelObject and Named.
public interface IComputer extends AccessControlled {
  @Override
  default ACL getACL() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }
}
