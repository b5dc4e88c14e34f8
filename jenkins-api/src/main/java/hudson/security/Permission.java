// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.security;

import edu.umd.cs.findbugs.annotations.NonNull;

// The real public constructors take a PermissionGroup and a Localizable; this copy only needs the
// constants.
public final class Permission {
  private final String id;

  private Permission(String id) {
    this.id = id;
  }

  public @NonNull String getId() {
    return id;
  }

  @Override
  public String toString() {
    return "Permission[" + id + "]";
  }

  @Deprecated
  public static final Permission HUDSON_ADMINISTER =
      new Permission("hudson.model.Hudson.Administer");
}
