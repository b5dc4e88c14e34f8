// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.ExtensionPoint;
import hudson.security.Permission;
import jenkins.model.Jenkins;

public abstract class ManagementLink implements ExtensionPoint, Action {
  @Override
  public abstract @CheckForNull String getIconFileName();

  public String getDescription() {
    return "";
  }

  @Override
  public abstract @CheckForNull String getUrlName();

  public boolean getRequiresConfirmation() {
    return false;
  }

  public @NonNull Permission getRequiredPermission() {
    return Jenkins.ADMINISTER;
  }

  public boolean getRequiresPOST() {
    return false;
  }

  public @NonNull Category getCategory() {
    return Category.UNCATEGORIZED;
  }

  public enum Category {
    CONFIGURATION,
    SECURITY,
    STATUS,
    TROUBLESHOOTING,
    TOOLS,
    MISC,
    UNCATEGORIZED
  }
}
