package io.spotnest.cli;

import io.spotnest.dashboard.DashboardServer;
import io.spotnest.dashboard.DashboardSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;

/**
 * Starts a command's dashboard on 127.0.0.1: a port that cannot be bound is a one-line error naming
 * the command's port option.
 */
final class LoopbackDashboard {
  private LoopbackDashboard() {}

  /**
   * The dashboard of {@code source} on 127.0.0.1:{@code port} (0 for any free port); {@code option}
   * is the option that chose the port, e.g. {@code --port}.
   */
  static DashboardServer start(DashboardSource source, int port, String option) {
    try {
      return DashboardServer.start(
          source, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
    } catch (BindException e) {
      throw new IllegalArgumentException(
          option + " " + port + " cannot be used on 127.0.0.1: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the dashboard: " + e.getMessage(), e);
    }
  }
}
