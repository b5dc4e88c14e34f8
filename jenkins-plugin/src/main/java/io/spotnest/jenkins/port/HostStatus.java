package io.spotnest.jenkins.port;

/** One host on the admin page: its market, current reclaim risk (0..1) and agents. */
public record HostStatus(String hostId, String market, double risk, int agents, boolean draining) {}
