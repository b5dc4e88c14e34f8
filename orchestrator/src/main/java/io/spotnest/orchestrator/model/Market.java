package io.spotnest.orchestrator.model;

/** How a host is rented. */
public enum Market {
  SPOT,
  ON_DEMAND
}
