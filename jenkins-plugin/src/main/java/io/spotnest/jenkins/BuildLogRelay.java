package io.spotnest.jenkins;

import io.spotnest.jenkins.port.AgentEvent;
import java.util.function.Consumer;

/** Turns the orchestrator's move and loss events into the build-log lines of {@link BuildLogMessages}. */
public final class BuildLogRelay implements Consumer<AgentEvent> {
    private final AgentLogs logs;

    public BuildLogRelay(AgentLogs logs) {
        this.logs = logs;
    }

    @Override
    public void accept(AgentEvent event) {
        if (event instanceof AgentEvent.Migrated migrated) {
            logs.println(event.agentName(), BuildLogMessages.migrated(migrated));
        } else if (event instanceof AgentEvent.Lost lost) {
            logs.println(event.agentName(), BuildLogMessages.lost(lost, SpotNestRescheduleCause.class));
        }
    }
}
