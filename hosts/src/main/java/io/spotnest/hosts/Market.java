package io.spotnest.hosts;

/** How a host is rented: interruptible spot capacity or on-demand capacity. */
public enum Market {
  SPOT,
  ON_DEMAND
}
