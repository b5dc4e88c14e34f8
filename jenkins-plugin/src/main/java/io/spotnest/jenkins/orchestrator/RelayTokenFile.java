package io.spotnest.jenkins.orchestrator;

import io.spotnest.hosts.ec2.RelayToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The notice relay's token: made once (32 random bytes, hex) in a file readable by Jenkins only,
 * never in config.xml, a log or a command line. Hosts get it in their user-data.
 */
final class RelayTokenFile {
  private RelayTokenFile() {}

  static RelayToken loadOrCreate(Path file) {
    try {
      ClusterPki.privateDir(file.getParent());
      if (!Files.exists(file)) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(
            file,
            HexFormat.of().formatHex(secret) + "\n",
            StandardCharsets.US_ASCII,
            StandardOpenOption.TRUNCATE_EXISTING);
      }
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return new RelayToken(Files.readString(file, StandardCharsets.US_ASCII).strip());
    } catch (IOException | IllegalArgumentException e) {
      throw new FleetConfigException(
          "SpotNest: cannot use the relay token file " + file + ": " + e.getMessage());
    }
  }
}
