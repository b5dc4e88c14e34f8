// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

// The real class also implements ModelObjectWithContextMenu.
public abstract class Actionable extends AbstractModelObject {
  public <T extends Action> T getAction(Class<T> type) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }
}
