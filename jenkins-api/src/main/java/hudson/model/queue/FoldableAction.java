// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model.queue;

import hudson.model.Action;

// The real interface also declares foldIntoExisting(Queue.Item, Queue.Task, List<Action>).
public interface FoldableAction extends Action {}
