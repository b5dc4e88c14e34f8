package io.spotnest.migration;

import org.libvirt.Connect;
import org.libvirt.Library;
import org.libvirt.LibvirtException;

/**
 * libvirt's client event loop, which connection keepalive needs: registered once per process
 * (libvirt allows one) before the engine's first connection, and run on a daemon thread. With it,
 * {@link #keepAlive} makes a connection whose peer stopped answering close after about {@value
 * #KEEPALIVE_INTERVAL_S} s x ({@value #KEEPALIVE_COUNT} + 1), so calls on it fail instead of
 * blocking.
 */
final class LibvirtEventLoop {

  static final int KEEPALIVE_INTERVAL_S = 5;

  /**
   * Unanswered probes before the connection is closed: about a minute, so a daemon slowed by a
   * loaded host (seen once in the lab under load: "client socket is closed" after 20 s with the
   * count at 3) is not taken for a dead one; the engine's own bounded calls keep the deadline.
   */
  static final int KEEPALIVE_COUNT = 11;

  private LibvirtEventLoop() {}

  /** Started on first use (class initialisation runs once, thread-safe). */
  private static final class Loop {
    static final boolean RUNNING = start();

    private static boolean start() {
      try {
        Library.initEventLoop();
      } catch (LibvirtException | RuntimeException | LinkageError e) {
        return false; // no libvirt here (fake-host tests): connections simply have no keepalive
      }
      DaemonThreads.start(
          "spotnest-libvirt-events",
          () -> {
            try {
              Library.runEventLoop();
            } catch (LibvirtException e) {
              // the loop ended: keepalive stops with it, calls are still bounded by the engine
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      return true;
    }
  }

  /** Registers and starts the loop if it is not yet; true when it runs. */
  static boolean require() {
    return Loop.RUNNING;
  }

  /**
   * Turns on keepalive for a connection opened after {@link #require()}; a refusal leaves the
   * connection as it is.
   */
  static void keepAlive(Connect conn) {
    if (!require()) {
      return;
    }
    try {
      conn.setKeepAlive(KEEPALIVE_INTERVAL_S, KEEPALIVE_COUNT);
    } catch (LibvirtException e) {
      // an old daemon without keepalive: the engine's bounded calls still hold
    }
  }
}
