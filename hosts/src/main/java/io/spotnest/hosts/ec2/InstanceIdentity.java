package io.spotnest.hosts.ec2;

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
}
