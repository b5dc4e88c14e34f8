// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.util;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.ArrayList;
import org.kohsuke.stapler.HttpResponse;

public class ListBoxModel extends ArrayList<ListBoxModel.Option> implements HttpResponse {
  public static final class Option {
    public String name;
    public String value;
    public boolean selected;

    public Option(@NonNull String name, @NonNull String value) {
      this(name, value, false);
    }

    public Option(@NonNull String name) {
      this(name, name);
    }

    public Option(@NonNull String name, @NonNull String value, boolean selected) {
      this.name = name;
      this.value = value;
      this.selected = selected;
    }
  }

  public ListBoxModel() {}

  public void add(@NonNull String displayName, @NonNull String value) {
    add(new Option(displayName, value));
  }

  public ListBoxModel add(@NonNull String nameAndValue) {
    add(nameAndValue, nameAndValue);
    return this;
  }
}
