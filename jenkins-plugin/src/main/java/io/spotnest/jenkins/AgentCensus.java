package io.spotnest.jenkins;

/** Counts the SpotNest agents Jenkins already has, for the caps. */
interface AgentCensus {
  int agents(String cloudName);

  int agents(String cloudName, String templateKey);
}
