package io.spotnest.hosts.ssh;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.IpLiteral;
import io.spotnest.hosts.OverlayPeers;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Keeps the attached static hosts' and the overlay gateways' VXLAN flood lists current, as the EC2
 * hosts' watcher does for theirs: each pass computes every connected host's list ({@link
 * OverlayPeers#forHost}) and every connected gateway's ({@link OverlayPeers#forGateway}: every
 * attached host and the other gateways) and, where it differs from the list last applied over that
 * machine's current session, runs {@value #SCRIPT} with it over the host's SSH session (as root,
 * else through {@code sudo -n}). A list is recorded only once the script exits 0, so a failure is
 * retried next pass; a re-established session applies the list again (the machine may have
 * rebooted). The command line holds only the peers' IP addresses.
 */
final class OverlayUpkeep {
  static final String SCRIPT = "/usr/local/sbin/spotnest-overlay-peers";
  private static final System.Logger LOG = System.getLogger(OverlayUpkeep.class.getName());
  private static final String HOST = "static host ";
  private static final String GATEWAY = "overlay gateway ";

  /** A list applied over one session of one tunnel (the tunnel compares by identity). */
  private record Applied(SshTunnel tunnel, int session, List<String> peers) {}

  private final OverlayPeers overlay;
  private final Duration timeout;
  private final Map<String, Applied> applied = new HashMap<>();

  /**
   * @param timeout how long one run of the script may take
   */
  OverlayUpkeep(OverlayPeers overlay, Duration timeout) {
    this.overlay = Objects.requireNonNull(overlay, "overlay");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * What a pass works from.
   *
   * @param tunnels the attached hosts' sessions by host id
   * @param gateways the gateways' sessions by gateway name (each has its VTEP as underlay)
   * @param hosts the provider's hosts (the lists are computed from them)
   */
  record View(Map<String, SshTunnel> tunnels, Map<String, SshTunnel> gateways, List<Host> hosts) {}

  /**
   * One pass over the attached hosts and the connected gateways as {@code view} shows them when the
   * pass starts. The view is taken inside the pass, so no pass works from a view older than the
   * previous pass's: an older one would forget the lists an attach had just applied (running them
   * again) and run lists that leave out the host it attached.
   */
  synchronized void sync(Supplier<View> view) {
    View v = view.get();
    Map<String, SshTunnel> all = new HashMap<>();
    v.tunnels().forEach((id, t) -> all.put(HOST + id, t));
    v.gateways().forEach((name, t) -> all.put(GATEWAY + name, t));
    applied.keySet().retainAll(all.keySet());
    v.tunnels().forEach((id, tunnel) -> apply(HOST + id, tunnel, overlay.forHost(id, v.hosts())));
    v.gateways()
        .forEach(
            (name, tunnel) ->
                apply(
                    GATEWAY + name,
                    tunnel,
                    overlay.forGateway(tunnel.host().underlay().orElseThrow(), v.hosts())));
  }

  /** Runs the script with {@code peers} over the tunnel unless that list is applied already. */
  private void apply(String who, SshTunnel tunnel, List<String> peers) {
    if (tunnel.state() != TunnelState.CONNECTED) {
      return;
    }
    Applied want = new Applied(tunnel, tunnel.reconnects(), peers);
    if (want.equals(applied.get(who))) {
      return;
    }
    RemoteRun run = tunnel.run(command(tunnel.host().user(), want.peers()), timeout);
    if (run.succeeded()) {
      applied.put(who, want);
      LOG.log(
          System.Logger.Level.INFO,
          "{0}: overlay floods to {1}",
          who,
          want.peers().isEmpty() ? "nobody" : String.join(" ", want.peers()));
    } else {
      LOG.log(
          System.Logger.Level.WARNING,
          "{0}: spotnest-overlay-peers exited {1} ({2}); retrying next pass",
          who,
          run.exitStatus(),
          run.stderr());
    }
  }

  /** The script with the peers as its arguments; through {@code sudo -n} for any user but root. */
  static String command(String user, List<String> peers) {
    StringBuilder line = new StringBuilder("root".equals(user) ? SCRIPT : "sudo -n " + SCRIPT);
    for (String p : peers) {
      if (!IpLiteral.is(p)) { // addresses only: nothing else ever reaches the remote shell
        throw new IllegalArgumentException("overlay peer: expected an IP address, got '" + p + "'");
      }
      line.append(' ').append(p);
    }
    return line.toString();
  }
}
