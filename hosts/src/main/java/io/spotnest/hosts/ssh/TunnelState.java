package io.spotnest.hosts.ssh;

/** Where an {@link SshTunnel}'s session stands. */
public enum TunnelState {
  /** The session is up; the local socket forwards to libvirtd. */
  CONNECTED,
  /**
   * The session dropped; attempts to re-establish it are under way (host key checked again each
   * time).
   */
  RECONNECTING,
  /**
   * No session within the reconnect policy's limit, or the host key was refused: the host is gone.
   */
  LOST,
  /** Closed by its owner. */
  CLOSED
}
