package io.spotnest.hosts.events;

/** Answers whether a host id belongs to us (tagged as ours and still existing). */
@FunctionalInterface
public interface HostDirectory {

  /**
   * @throws io.spotnest.hosts.SinkUnavailableException when ownership cannot be checked right now
   */
  boolean owns(String hostId);
}
