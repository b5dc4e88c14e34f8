// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.security.ACL;
import hudson.security.AccessControlled;

public abstract class Computer extends Actionable implements AccessControlled {
    private final Node node;

    protected Computer(Node node) {
        this.node = node;
    }

    public @NonNull String getName() {
        return node == null ? "" : node.getNodeName();
    }

    public Node getNode() {
        return node;
    }

    public final int countBusy() {
        throw new UnsupportedOperationException("compile-only Jenkins API");
    }

    public final boolean isIdle() {
        throw new UnsupportedOperationException("compile-only Jenkins API");
    }

    public final long getIdleStartMilliseconds() {
        throw new UnsupportedOperationException("compile-only Jenkins API");
    }

    public final java.util.concurrent.Future<?> connect(boolean forceReconnect) {
        throw new UnsupportedOperationException("compile-only Jenkins API");
    }

    public boolean isAcceptingTasks() {
        return true;
    }

    @NonNull
    @Override
    public ACL getACL() {
        throw new UnsupportedOperationException("compile-only Jenkins API");
    }
}
