package io.spotnest.jenkins;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules for the fields of an {@link Ec2Fleet}, shared by its form checks and setters (so
 * configuration as code is held to the same rules). Each returns {@code null} when the value is
 * fine, else one line naming the field.
 */
public final class Ec2FieldRules {
  static final int MAX_HOSTS = 1_000;

  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
  private static final Pattern AMI = Pattern.compile("ami-[0-9a-f]{8,17}");
  private static final Pattern POOL = Pattern.compile("[a-z0-9][a-z0-9.-]*@[a-z0-9][a-z0-9-]*");
  private static final Pattern SUBNET = Pattern.compile("[a-z0-9-]+=subnet-[0-9a-f]{8,17}");
  private static final Pattern GROUP = Pattern.compile("sg-[0-9a-f]{8,17}");
  private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9+=,.@_-]{1,128}");
  private static final Pattern PRICE =
      Pattern.compile("[a-z0-9][a-z0-9.-]*=\\d{1,4}(\\.\\d{1,6})?");
  private static final Pattern BIND = Pattern.compile("(\\d{1,3}(\\.\\d{1,3}){3}):(\\d{1,5})");
  private static final Pattern FILE = Pattern.compile("[A-Za-z0-9._/+-]+");
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

  private Ec2FieldRules() {}

  /**
   * The first problem of settings that may have bypassed the setters, field by field, then across
   * fields: zones inside the region, the spot cap within the host cap, a certificate for the relay.
   */
  public static String problem(Ec2FleetSettings e) {
    for (String problem :
        new String[] {
          region(e.region()),
          ami(e.ami()),
          pools(e.pools()),
          subnets(e.subnets()),
          securityGroups(e.securityGroups()),
          instanceProfile(e.instanceProfile()),
          FieldRules.range("maxHosts", e.maxHosts(), 1, MAX_HOSTS),
          FieldRules.range("maxSpotHosts", e.maxSpotHosts(), 0, MAX_HOSTS),
          onDemandPrices(e.onDemandPrices()),
          queueUrl(e.queueUrl()),
          relayUrl(e.relayUrl()),
          relayBind(e.relayBind()),
          identityCertificate(e.identityCertificate()),
          ec2Endpoint(e.ec2Endpoint()),
          sqsEndpoint(e.sqsEndpoint()),
          overlayGateways(e.overlayGateways())
        }) {
      if (problem != null) {
        return problem;
      }
    }
    String region = e.region().trim();
    for (String pool : entries(e.pools())) {
      if (!pool.substring(pool.indexOf('@') + 1).startsWith(region)) {
        return "pools: '" + pool + "' is not in a zone of region " + region;
      }
    }
    if (e.maxSpotHosts() > e.maxHosts()) {
      return "maxSpotHosts: must be at most maxHosts ("
          + e.maxHosts()
          + "), was "
          + e.maxSpotHosts();
    }
    if (!FieldRules.isBlank(e.relayBind()) && FieldRules.isBlank(e.identityCertificate())) {
      return "identityCertificate: required when relayBind is set, AWS's RSA-2048 instance"
          + " identity certificate of region "
          + region;
    }
    return null;
  }

  /** Entries separated by commas, blanks or new lines. */
  public static List<String> entries(String value) {
    if (FieldRules.isBlank(value)) {
      return List.of();
    }
    return Arrays.stream(value.trim().split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
  }

  static String region(String value) {
    if (FieldRules.isBlank(value)) {
      return "region: required, an AWS region such as eu-west-1";
    }
    return REGION.matcher(value.trim()).matches()
        ? null
        : "region: '" + value.trim() + "' is not an AWS region such as eu-west-1";
  }

  static String ami(String value) {
    if (FieldRules.isBlank(value)) {
      return "ami: required, the hosts' AMI id such as ami-0123456789abcdef0";
    }
    return AMI.matcher(value.trim()).matches()
        ? null
        : "ami: '" + value.trim() + "' is not an AMI id such as ami-0123456789abcdef0";
  }

  static String pools(String value) {
    List<String> pools = entries(value);
    if (pools.isEmpty()) {
      return "pools: required, <instanceType>@<zone> such as c8i.2xlarge@eu-west-1a";
    }
    Set<String> seen = new HashSet<>();
    for (String pool : pools) {
      if (!POOL.matcher(pool).matches()) {
        return "pools: '" + pool + "' is not <instanceType>@<zone> such as c8i.2xlarge@eu-west-1a";
      }
      if (!seen.add(pool)) {
        return "pools: '" + pool + "' is listed twice";
      }
    }
    return null;
  }

  static String subnets(String value) {
    return each("subnets", value, SUBNET, "<zone>=<subnet-id> such as eu-west-1a=subnet-0123abcd");
  }

  static String securityGroups(String value) {
    return each("securityGroups", value, GROUP, "a security group id such as sg-0123abcd");
  }

  static String instanceProfile(String value) {
    if (FieldRules.isBlank(value)) {
      return null;
    }
    return PROFILE.matcher(value.trim()).matches()
        ? null
        : "instanceProfile: '" + value.trim() + "' is not an instance profile name";
  }

  static String onDemandPrices(String value) {
    return each(
        "onDemandPrices", value, PRICE, "<instanceType>=<USD per hour> such as c8i.2xlarge=0.4032");
  }

  static String queueUrl(String value) {
    return url("queueUrl", value, false);
  }

  static String relayUrl(String value) {
    return url("relayUrl", value, true);
  }

  static String ec2Endpoint(String value) {
    return url("ec2Endpoint", value, false);
  }

  static String sqsEndpoint(String value) {
    return url("sqsEndpoint", value, false);
  }

  static String relayBind(String value) {
    if (FieldRules.isBlank(value)) {
      return null;
    }
    var m = BIND.matcher(value.trim());
    if (!m.matches() || Integer.parseInt(m.group(3)) > 65_535) {
      return "relayBind: '"
          + value.trim()
          + "' is not <ip>:<port> such as 10.0.0.5:8443 (the controller's private address)";
    }
    return null;
  }

  static String identityCertificate(String value) {
    if (FieldRules.isBlank(value)) {
      return null;
    }
    String file = value.trim();
    return FILE.matcher(file).matches() && !file.contains("..")
        ? null
        : "identityCertificate: '"
            + file
            + "' is not a file name (letters, digits, '.', '_', '/', '+', '-'; no '..')";
  }

  /**
   * IPv4 only: the hosts' VXLAN device has an IPv4 local address and setup-host.sh takes no other.
   * The same rule for the static hosts' gateways (the cloud's own {@code overlayGateways}).
   */
  public static String overlayGateways(String value) {
    return each(
        "overlayGateways",
        value,
        IPV4,
        "an IPv4 address such as 10.0.9.1, the gateway's VXLAN underlay address");
  }

  private static String each(String field, String value, Pattern pattern, String expected) {
    for (String entry : entries(value)) {
      if (!pattern.matcher(entry).matches()) {
        return field + ": '" + entry + "' is not " + expected;
      }
    }
    return null;
  }

  private static String url(String field, String value, boolean required) {
    if (FieldRules.isBlank(value)) {
      return required ? field + ": required, an http(s) URL such as http://10.0.0.5:8443" : null;
    }
    String text = value.trim();
    try {
      URI uri = new URI(text);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return null;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    return field + ": '" + text + "' is not an http(s) URL with a host";
  }
}
