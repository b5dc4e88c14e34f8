// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.queue.ScheduleResult;
import hudson.model.queue.SubTask;
import java.util.List;

// The real class also implements Saveable; its constructor takes a LoadBalancer.
public class Queue extends ResourceController {
  private Queue() {}

  public @NonNull ScheduleResult schedule2(Task p, int quietPeriod, List<Action> actions) {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  public static Queue getInstance() {
    throw new UnsupportedOperationException("compile-only Jenkins API");
  }

  // The real interface also extends FullyNamedModelObject.
  public interface Task extends SubTask {}

  // The real interface also extends WithConsoleUrl.
  public interface Executable extends Runnable {
    @NonNull
    SubTask getParent();

    default @CheckForNull Executable getParentExecutable() {
      return null;
    }
  }

  public interface QueueAction extends Action {}

  // The real class also implements QueueItem; its constructors are protected and take the task.
  public abstract static class Item extends Actionable {
    private Item() {}

    public long getId() {
      throw new UnsupportedOperationException("compile-only Jenkins API");
    }

    @CheckForNull
    public Label getAssignedLabel() {
      throw new UnsupportedOperationException("compile-only Jenkins API");
    }
  }

  // The real constructor is protected NotWaitingItem(WaitingItem).
  public abstract static class NotWaitingItem extends Item {
    private NotWaitingItem() {}
  }

  // The real constructors are public and take a WaitingItem or a NotWaitingItem; the queue makes
  // them.
  public static final class BuildableItem extends NotWaitingItem {
    private BuildableItem() {}
  }
}
