// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import java.io.Serializable;

public abstract class LoadStatistics {
  // The real constructor is protected LoadStatistics(int, int); the plugin never makes one.
  private LoadStatistics() {}

  public static class LoadStatisticsSnapshot implements Serializable {
    private static final long serialVersionUID = 1L;

    // The real constructor is private and takes the seven counts; Jenkins makes snapshots.
    private LoadStatisticsSnapshot() {}

    public int getDefinedExecutors() {
      throw new UnsupportedOperationException("compile-only Jenkins API");
    }

    public int getOnlineExecutors() {
      throw new UnsupportedOperationException("compile-only Jenkins API");
    }

    public int getConnectingExecutors() {
      throw new UnsupportedOperationException("compile-only Jenkins API");
    }

    public int getAvailableExecutors() {
      throw new UnsupportedOperationException("compile-only Jenkins API");
    }

    public int getQueueLength() {
      throw new UnsupportedOperationException("compile-only Jenkins API");
    }
  }
}
