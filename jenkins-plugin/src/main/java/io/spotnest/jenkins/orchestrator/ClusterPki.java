package io.spotnest.jenkins.orchestrator;

import io.spotnest.hosts.ssh.SshHostConfig;
import io.spotnest.pki.ClusterCa;
import io.spotnest.pki.IssuedCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * The cluster's TLS material for live migration (libvirt migrates with TLS between hosts), under
 * {@code $JENKINS_HOME/spotnest/pki}: the cluster CA in {@code ca/}, and for each static host the
 * files its libvirtd needs in {@code hosts/<name>/} ({@code cacert.pem}, {@code servercert.pem},
 * {@code serverkey.pem}, {@code clientcert.pem}, {@code clientkey.pem}), to be installed on it.
 * Directories are 0700, files 0600; existing files are kept; no key is ever logged.
 */
final class ClusterPki {
  private static final Logger LOGGER = Logger.getLogger(ClusterPki.class.getName());
  static final Duration CA_VALIDITY = Duration.ofDays(3650);
  static final Duration HOST_VALIDITY = Duration.ofDays(825);
  static final String SERVER_KEY = "serverkey.pem";

  private ClusterPki() {}

  static void prepare(Path dir, String cloudName, List<SshHostConfig> hosts, Clock clock) {
    try {
      privateDir(dir);
      ClusterCa ca =
          ClusterCa.loadOrCreate(dir.resolve("ca"), cluster(cloudName), clock, CA_VALIDITY);
      for (SshHostConfig h : hosts) {
        Path hostDir = dir.resolve("hosts").resolve(h.name());
        if (Files.exists(hostDir.resolve(SERVER_KEY))) {
          continue;
        }
        IssuedCertificate cert = issue(ca, h);
        privateDir(hostDir);
        cert.write(hostDir.resolve("servercert.pem"), hostDir.resolve(SERVER_KEY));
        cert.write(hostDir.resolve("clientcert.pem"), hostDir.resolve("clientkey.pem"));
        ca.writeCertificate(hostDir.resolve("cacert.pem"));
        LOGGER.info("SpotNest: TLS files for static host " + h.name() + " written to " + hostDir);
      }
    } catch (IOException e) {
      throw new FleetConfigException(
          "SpotNest: cannot write the cluster's TLS files under " + dir + ": " + e.getMessage());
    }
  }

  private static IssuedCertificate issue(ClusterCa ca, SshHostConfig h) {
    try {
      return ca.issueHost(h.name(), List.of(h.address()), HOST_VALIDITY);
    } catch (IllegalArgumentException e) {
      throw new FleetConfigException(
          StaticHostList.FIELD + ": host '" + h.name() + "': " + e.getMessage());
    }
  }

  /** The cloud's name as a cluster name (lower case letters, digits and '-'). */
  static String cluster(String cloudName) {
    String c = cloudName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    c = c.startsWith("-") ? "c" + c : c;
    return c.length() > 40 ? c.substring(0, 40) : c;
  }

  static void privateDir(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
  }
}
