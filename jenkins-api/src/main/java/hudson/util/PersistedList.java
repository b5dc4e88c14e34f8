// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.util;

import java.util.AbstractList;
import java.util.List;

// The real class keeps its items in a CopyOnWriteList and tells its Saveable owner of changes.
public class PersistedList<T> extends AbstractList<T> {
  protected PersistedList() {}

  @Override
  public T get(int index) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public <U extends T> List<U> getAll(Class<U> type) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  @Override
  public int size() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }
}
