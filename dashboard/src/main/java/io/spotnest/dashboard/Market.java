package io.spotnest.dashboard;

/** How a host is rented. */
public enum Market {
  SPOT,
  ON_DEMAND
}
