// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.security;

import edu.umd.cs.findbugs.annotations.NonNull;

// The real checkPermission throws org.springframework.security.access.AccessDeniedException
// (unchecked).
public interface AccessControlled {
  @NonNull
  ACL getACL();

  default void checkPermission(@NonNull Permission permission) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  default boolean hasPermission(@NonNull Permission permission) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }
}
