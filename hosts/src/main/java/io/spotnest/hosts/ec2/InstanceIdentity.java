package io.spotnest.hosts.ec2;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * What a verified EC2 instance identity document proves about the host that presented it.
 *
 * @param instanceId the instance the document was issued to
 * @param privateIp its primary private IPv4 address
 * @param region its region
 * @param accountId the account that owns it
 */
public record InstanceIdentity(
    String instanceId, String privateIp, String region, String accountId) {
  public InstanceIdentity {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(privateIp, "privateIp");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(accountId, "accountId");
  }

  /**
   * Whether {@code sender} is this instance's private IP (a literal IPv4 address; a name is never
   * resolved, so it never matches).
   */
  public boolean sentFrom(InetAddress sender) {
    if (!privateIp.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return false;
    }
    try {
      return InetAddress.getByName(privateIp).equals(sender);
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
