package io.spotnest.jenkins.port;

/** The nested VM's size. */
public record AgentSize(int vcpus, int memoryMb, int diskGb) {}
