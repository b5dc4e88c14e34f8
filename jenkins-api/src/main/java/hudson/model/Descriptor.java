// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;

public abstract class Descriptor<T extends Describable<T>> {
  public final transient Class<? extends T> clazz;

  protected Descriptor(Class<? extends T> clazz) {
    this.clazz = clazz;
  }

  @SuppressWarnings("unchecked")
  protected Descriptor() {
    // Minimal: the real constructor infers the described class from the outer class the same way.
    this.clazz = (Class<? extends T>) getClass().getEnclosingClass();
  }

  @NonNull
  public String getDisplayName() {
    return clazz.getSimpleName();
  }

  public String getId() {
    return clazz.getName();
  }

  public synchronized void load() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public synchronized void save() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public String getHelpFile(final String fieldName) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public static final class FormException extends Exception
      implements org.kohsuke.stapler.HttpResponse {
    private final String formField;

    public FormException(String message, String formField) {
      super(message);
      this.formField = formField;
    }

    public FormException(String message, Throwable cause, String formField) {
      super(message, cause);
      this.formField = formField;
    }

    public FormException(Throwable cause, String formField) {
      super(cause);
      this.formField = formField;
    }

    public String getFormField() {
      return formField;
    }
  }
}
