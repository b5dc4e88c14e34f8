// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.AbstractList;

public class ExtensionList<T> extends AbstractList<T> {
  // The real constructors take (Jenkins|Hudson, Class<T>[, ...]); the plugin never makes one.
  private ExtensionList() {}

  @Override
  public T get(int index) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  @Override
  public int size() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public static @NonNull <T> ExtensionList<T> lookup(Class<T> type) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public static @NonNull <U> U lookupSingleton(Class<U> type) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public static @NonNull <U> U lookupFirst(Class<U> type) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }
}
