package io.spotnest.jenkins.port;

import java.util.Set;

/**
 * Everything the orchestrator needs to boot one agent VM. The VM fetches {@code agent.jar} from
 * {@code controllerUrl} at boot and connects inbound over WebSocket with {@code secret}.
 */
public record AgentLaunchRequest(
    String agentName,
    String cloudName,
    Set<String> labels,
    AgentSize size,
    String image,
    MarketPolicy marketPolicy,
    StandingCopyWish standingCopy,
    String remoteFs,
    String initScript,
    String controllerUrl,
    AgentSecret secret) {}
