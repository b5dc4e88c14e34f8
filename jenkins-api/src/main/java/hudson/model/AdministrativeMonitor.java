// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import hudson.ExtensionPoint;
import org.kohsuke.stapler.StaplerProxy;

public abstract class AdministrativeMonitor extends AbstractModelObject
    implements ExtensionPoint, StaplerProxy {
  public final String id;

  protected AdministrativeMonitor(String id) {
    this.id = id;
  }

  protected AdministrativeMonitor() {
    this.id = getClass().getName();
  }

  public String getDisplayName() {
    return id;
  }

  public abstract boolean isActivated();

  @Override
  public Object getTarget() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }
}
