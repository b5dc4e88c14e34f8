// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.util;

import java.io.IOException;
import org.kohsuke.stapler.HttpResponse;

// Minimal bodies: the factories keep kind and message so unit tests can read them (no HTML escaping
// here).
public abstract class FormValidation extends IOException implements HttpResponse {
  public enum Kind {
    OK,
    WARNING,
    ERROR
  }

  public final Kind kind;

  private FormValidation(Kind kind) {
    this.kind = kind;
  }

  private FormValidation(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public static FormValidation error(String message) {
    return make(Kind.ERROR, message);
  }

  public static FormValidation warning(String message) {
    return make(Kind.WARNING, message);
  }

  public static FormValidation ok(String message) {
    return make(Kind.OK, message);
  }

  private static final FormValidation OK =
      new FormValidation(Kind.OK) {
        @Override
        public String renderHtml() {
          return "<div/>";
        }
      };

  public static FormValidation ok() {
    return OK;
  }

  private static FormValidation make(Kind kind, String message) {
    if (message == null) {
      return ok();
    }
    return new FormValidation(kind, message) {
      @Override
      public String renderHtml() {
        return message;
      }

      @Override
      public String toString() {
        return kind + ": " + message;
      }
    };
  }

  public abstract String renderHtml();
}
