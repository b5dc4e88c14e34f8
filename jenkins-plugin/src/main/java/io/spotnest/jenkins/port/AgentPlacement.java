package io.spotnest.jenkins.port;

/** Where a started agent VM runs. */
public record AgentPlacement(String agentName, String hostId) {}
