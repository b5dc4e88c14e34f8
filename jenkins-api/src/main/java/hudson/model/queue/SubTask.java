// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model.queue;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Queue;

// The real interface also extends ResourceActivity and ITask.
public interface SubTask {
  default @NonNull Queue.Task getOwnerTask() {
    return (Queue.Task) this;
  }
}
