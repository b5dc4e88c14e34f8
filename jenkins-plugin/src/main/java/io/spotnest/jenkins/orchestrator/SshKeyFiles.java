package io.spotnest.jenkins.orchestrator;

import io.spotnest.hosts.ssh.SshHostConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The static hosts' private keys are checked before any SSH session: each must exist and be
 * readable by Jenkins only, as OpenSSH demands. Only paths are named, never contents.
 */
final class SshKeyFiles {
  private static final Set<PosixFilePermission> OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE);

  private SshKeyFiles() {}

  static void requirePrivate(List<SshHostConfig> hosts) {
    for (SshHostConfig h : hosts) {
      Path key = h.privateKey();
      String where = StaticHostList.FIELD + ": host '" + h.name() + "': private key " + key;
      if (!Files.isReadable(key)) {
        throw new FleetConfigException(where + " is missing or unreadable");
      }
      try {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(key);
        if (perms.stream().anyMatch(OTHERS::contains)) {
          throw new FleetConfigException(where + " must be readable by Jenkins only (chmod 600)");
        }
      } catch (IOException | UnsupportedOperationException e) {
        throw new FleetConfigException(where + ": cannot read its permissions: " + e.getMessage());
      }
    }
  }
}
