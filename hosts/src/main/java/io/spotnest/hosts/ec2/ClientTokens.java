package io.spotnest.hosts.ec2;

import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.Pool;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * RunInstances ClientTokens derived from the caller's launch key: the same key, pool and market
 * always give the same token, in this process or after a restart, so EC2 answers a repeated launch
 * with the instance it already started. The offering is part of the token because EC2 refuses a
 * token reused with other parameters.
 */
final class ClientTokens {
  private final String cluster;

  ClientTokens(String cluster) {
    this.cluster = cluster;
  }

  /** 43 characters (EC2 allows 64). */
  String token(HostRequest request, Pool pool, Market market) {
    String source = cluster + "\n" + request.key() + "\n" + pool + "\n" + market;
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
      return "sn-" + HexFormat.of().formatHex(hash, 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
