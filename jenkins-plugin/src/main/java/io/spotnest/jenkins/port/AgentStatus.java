package io.spotnest.jenkins.port;

/** One agent on the admin page. */
public record AgentStatus(String agentName, String cloudName, String hostId, AgentPhase phase) {}
