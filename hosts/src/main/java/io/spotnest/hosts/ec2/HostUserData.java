package io.spotnest.hosts.ec2;

import io.spotnest.pki.ClusterCa;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * EC2 user-data that prepares a host: writes the relay token (root-only), the scripts of {@code
 * nested-agent-image/host/} (packaged as resources) and, in TLS mode, the cluster CA's certificate,
 * then runs the setup. No private key is in it: the host makes its libvirt key itself and gets its
 * certificate from the relay ({@link HostCertificateEndpoint}). The token is in the user-data
 * because the watcher must present it; anyone on the host who can read IMDS can read it, so it only
 * authorizes notice relays and certificates for the very instance that asks. Each launch gets its
 * own script: the new host's first overlay flood list ({@code SPOTNEST_OVERLAY_PEERS}: addresses,
 * not secrets), which its watcher keeps current afterwards.
 */
public final class HostUserData {
  /** EC2 refuses user-data larger than 16 KB (before base64; here: gzipped). */
  public static final int MAX_BYTES = 16 * 1024;

  private static final String RESOURCES = "/io/spotnest/hosts/ec2/host/";

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final Ec2Settings settings;
  private final RelayToken token;
  private final Optional<String> sshPublicKey;
  private final Optional<X509Certificate> clusterCa;

  /**
   * @param clusterCa the cluster CA's certificate, required when libvirt = tls (public; its key
   *     stays with the controller)
   */
  public HostUserData(
      Ec2Settings settings,
      RelayToken token,
      Optional<String> sshPublicKey,
      Optional<X509Certificate> clusterCa) {
    Objects.requireNonNull(token, "token");
    if (settings.libvirt() == LibvirtAccess.TLS && clusterCa.isEmpty()) {
      throw new IllegalArgumentException("clusterCa: required when libvirt = tls");
    }
    if (settings.libvirt() == LibvirtAccess.SSH && sshPublicKey.isEmpty()) {
      throw new IllegalArgumentException("sshPublicKey: required when libvirt = ssh");
    }
    sshPublicKey.ifPresent(
        k -> {
          if (!k.matches(
              "(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp\\d+) [A-Za-z0-9+/=]+( [^'\\n]*)?")) {
            throw new IllegalArgumentException(
                "sshPublicKey: expected one OpenSSH public key line");
          }
        });
    this.settings = settings;
    this.token = token;
    this.sshPublicKey = sshPublicKey;
    this.clusterCa = clusterCa;
    gzipChecked(script(List.of())); // the fixed part alone must fit
  }

  /**
   * The script for a host whose first flood list is {@code overlayPeers} (exported as {@code
   * SPOTNEST_OVERLAY_PEERS}, comma-separated; empty for none). Contains the relay token: never log
   * it.
   *
   * @throws IllegalArgumentException when a peer is not an IPv4 address (setup-host.sh takes no
   *     other)
   */
  String script(List<String> overlayPeers) {
    for (String p : overlayPeers) {
      if (!IPV4.matcher(p).matches()) {
        throw new IllegalArgumentException(
            "overlayPeers: setup-host.sh takes IPv4 addresses only, got '" + p + "'");
      }
    }
    StringBuilder s =
        new StringBuilder("#!/bin/bash\n# SpotNest host user-data (cluster ")
            .append(settings.cluster())
            .append(")\n")
            .append("set -euo pipefail\numask 077\ninstall -d -m 700 /run/spotnest\n");
    heredoc(s, "/run/spotnest/relay-token", token.reveal() + "\n");
    heredoc(s, "/run/spotnest/spotnest-imds-watcher.sh", resource("spotnest-imds-watcher.sh"));
    heredoc(s, "/run/spotnest/setup-host.sh", resource("setup-host.sh"));
    heredoc(s, "/run/spotnest/bake-host.sh", resource("bake-host.sh"));
    heredoc(s, "/run/spotnest/spotnest-overlay-peers.sh", resource("spotnest-overlay-peers.sh"));
    heredoc(s, "/run/spotnest/spotnest-overlay.sh", resource("spotnest-overlay.sh"));
    heredoc(s, "/run/spotnest/spotnest-overlay-up.sh", resource("spotnest-overlay-up.sh"));
    clusterCa.ifPresent(c -> heredoc(s, "/run/spotnest/cluster-ca.pem", ClusterCa.pem(c)));
    s.append("export SPOTNEST_CLUSTER=")
        .append(quote(settings.cluster()))
        .append(" SPOTNEST_LIBVIRT_ACCESS=")
        .append(settings.libvirt().configName())
        .append(" SPOTNEST_RELAY_URL=")
        .append(quote(settings.relayUrl().toString()))
        .append(" SPOTNEST_RELAY_TOKEN_FILE=/run/spotnest/relay-token")
        .append(" SPOTNEST_WATCHER=/run/spotnest/spotnest-imds-watcher.sh\n");
    if (clusterCa.isPresent()) {
      s.append("export SPOTNEST_CA_CERT_FILE=/run/spotnest/cluster-ca.pem\n");
    }
    sshPublicKey.ifPresent(
        k -> s.append("export SPOTNEST_SSH_PUBLIC_KEY=").append(quote(k)).append('\n'));
    s.append("export SPOTNEST_OVERLAY_PEERS=")
        .append(quote(String.join(",", overlayPeers)))
        .append('\n');
    s.append("bash /run/spotnest/setup-host.sh\nrm -f /run/spotnest/relay-token\n");
    return s.toString();
  }

  /** The script of a host with no overlay peers, as the host will run it. Contains the token. */
  String script() {
    return script(List.of());
  }

  /**
   * Base64 for RunInstances: the script for a host whose first flood list is {@code overlayPeers},
   * gzipped (cloud-init unpacks gzip user-data itself).
   *
   * @throws IllegalStateException when it is over the EC2 limit of {@link #MAX_BYTES}
   */
  public String base64(List<String> overlayPeers) {
    return Base64.getEncoder().encodeToString(gzipChecked(script(overlayPeers)));
  }

  /** {@link #base64(List)} with no overlay peers. */
  public String base64() {
    return base64(List.of());
  }

  private static byte[] gzipChecked(String script) {
    byte[] compressed = gzip(script);
    if (compressed.length > MAX_BYTES) {
      throw new IllegalStateException(
          "host user-data is "
              + compressed.length
              + " bytes gzipped, over the EC2 limit of "
              + MAX_BYTES);
    }
    return compressed;
  }

  private static byte[] gzip(String text) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
      z.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return "HostUserData(cluster " + settings.cluster() + ", token masked)";
  }

  private static void heredoc(StringBuilder s, String path, String content) {
    String end = "SPOTNEST_EOF_" + Integer.toHexString(path.hashCode());
    if (content.contains(end)) {
      throw new IllegalStateException("content of " + path + " contains its heredoc delimiter");
    }
    s.append("cat > ").append(path).append(" <<'").append(end).append("'\n").append(content);
    if (!content.endsWith("\n")) {
      s.append('\n');
    }
    s.append(end).append('\n');
  }

  private static String quote(String v) {
    return "'" + v.replace("'", "'\\''") + "'";
  }

  private static String resource(String name) {
    try (InputStream in = HostUserData.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("missing packaged host script " + RESOURCES + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
