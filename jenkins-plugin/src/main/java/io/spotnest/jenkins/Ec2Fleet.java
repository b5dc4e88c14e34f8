package io.spotnest.jenkins;

import static io.spotnest.jenkins.FieldRules.require;

import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * The EC2 hosts of a {@link SpotNestCloud}: spot and on-demand instances in the configured pools
 * (instance types in zones), their caps, where interruption notices come from (the cluster's SQS
 * queue and the hosts' IMDS watchers through the notice relay), the overlay gateways every host
 * floods to. It holds no credentials: the AWS SDK's default chain (environment, the controller's
 * instance profile or container role) supplies them, so nothing secret is ever in config.xml, a log
 * or a command line.
 */
public class Ec2Fleet extends AbstractDescribableImpl<Ec2Fleet> {
  private final String region;
  private final String ami;
  private final String pools;
  private String subnets = "";
  private String securityGroups = "";
  private String instanceProfile = "";
  private int maxHosts = 10;
  private int maxSpotHosts = 10;
  private String onDemandPrices = "";
  private String queueUrl = "";
  private String relayUrl = "";
  private String relayBind = "";
  private String identityCertificate = "";
  private String ec2Endpoint = "";
  private String sqsEndpoint = "";
  private String overlayGateways = "";

  @DataBoundConstructor
  public Ec2Fleet(String region, String ami, String pools) {
    require(Ec2FieldRules.region(region));
    require(Ec2FieldRules.ami(ami));
    require(Ec2FieldRules.pools(pools));
    this.region = region.trim();
    this.ami = ami.trim();
    this.pools = pools.trim();
  }

  private static String trimmed(String value) {
    return value == null ? "" : value.trim();
  }

  public String getRegion() {
    return region;
  }

  public String getAmi() {
    return ami;
  }

  public String getPools() {
    return pools;
  }

  public String getSubnets() {
    return subnets;
  }

  @DataBoundSetter
  public void setSubnets(String subnets) {
    require(Ec2FieldRules.subnets(subnets));
    this.subnets = trimmed(subnets);
  }

  public String getSecurityGroups() {
    return securityGroups;
  }

  @DataBoundSetter
  public void setSecurityGroups(String securityGroups) {
    require(Ec2FieldRules.securityGroups(securityGroups));
    this.securityGroups = trimmed(securityGroups);
  }

  public String getInstanceProfile() {
    return instanceProfile;
  }

  @DataBoundSetter
  public void setInstanceProfile(String instanceProfile) {
    require(Ec2FieldRules.instanceProfile(instanceProfile));
    this.instanceProfile = trimmed(instanceProfile);
  }

  public int getMaxHosts() {
    return maxHosts;
  }

  @DataBoundSetter
  public void setMaxHosts(int maxHosts) {
    require(FieldRules.range("maxHosts", maxHosts, 1, Ec2FieldRules.MAX_HOSTS));
    this.maxHosts = maxHosts;
  }

  public int getMaxSpotHosts() {
    return maxSpotHosts;
  }

  @DataBoundSetter
  public void setMaxSpotHosts(int maxSpotHosts) {
    require(FieldRules.range("maxSpotHosts", maxSpotHosts, 0, Ec2FieldRules.MAX_HOSTS));
    this.maxSpotHosts = maxSpotHosts;
  }

  public String getOnDemandPrices() {
    return onDemandPrices;
  }

  @DataBoundSetter
  public void setOnDemandPrices(String onDemandPrices) {
    require(Ec2FieldRules.onDemandPrices(onDemandPrices));
    this.onDemandPrices = trimmed(onDemandPrices);
  }

  public String getQueueUrl() {
    return queueUrl;
  }

  @DataBoundSetter
  public void setQueueUrl(String queueUrl) {
    require(Ec2FieldRules.queueUrl(queueUrl));
    this.queueUrl = trimmed(queueUrl);
  }

  public String getRelayUrl() {
    return relayUrl;
  }

  @DataBoundSetter
  public void setRelayUrl(String relayUrl) {
    require(Ec2FieldRules.relayUrl(relayUrl));
    this.relayUrl = trimmed(relayUrl);
  }

  public String getRelayBind() {
    return relayBind;
  }

  @DataBoundSetter
  public void setRelayBind(String relayBind) {
    require(Ec2FieldRules.relayBind(relayBind));
    this.relayBind = trimmed(relayBind);
  }

  public String getIdentityCertificate() {
    return identityCertificate;
  }

  @DataBoundSetter
  public void setIdentityCertificate(String identityCertificate) {
    require(Ec2FieldRules.identityCertificate(identityCertificate));
    this.identityCertificate = trimmed(identityCertificate);
  }

  public String getEc2Endpoint() {
    return ec2Endpoint;
  }

  @DataBoundSetter
  public void setEc2Endpoint(String ec2Endpoint) {
    require(Ec2FieldRules.ec2Endpoint(ec2Endpoint));
    this.ec2Endpoint = trimmed(ec2Endpoint);
  }

  public String getSqsEndpoint() {
    return sqsEndpoint;
  }

  @DataBoundSetter
  public void setSqsEndpoint(String sqsEndpoint) {
    require(Ec2FieldRules.sqsEndpoint(sqsEndpoint));
    this.sqsEndpoint = trimmed(sqsEndpoint);
  }

  public String getOverlayGateways() {
    return overlayGateways;
  }

  @DataBoundSetter
  public void setOverlayGateways(String overlayGateways) {
    require(Ec2FieldRules.overlayGateways(overlayGateways));
    this.overlayGateways = trimmed(overlayGateways);
  }

  /** What this fleet says, for the wiring. */
  public Ec2FleetSettings settings() {
    return new Ec2FleetSettings(
        region,
        ami,
        pools,
        subnets,
        securityGroups,
        instanceProfile,
        maxHosts,
        maxSpotHosts,
        onDemandPrices,
        queueUrl,
        relayUrl,
        relayBind,
        identityCertificate,
        ec2Endpoint,
        sqsEndpoint,
        overlayGateways);
  }

  /** The EC2 part of the cloud form: a check for every field. */
  @Extension
  @Symbol("ec2")
  public static final class DescriptorImpl extends Descriptor<Ec2Fleet> {
    public DescriptorImpl() {
      super(Ec2Fleet.class);
    }

    @Override
    public String getDisplayName() {
      return "EC2 spot and on-demand hosts";
    }

    public FormValidation doCheckRegion(@QueryParameter String value) {
      return Forms.check(Ec2FieldRules.region(value));
    }

    public FormValidation doCheckAmi(@QueryParameter String value) {
      return Forms.check(Ec2FieldRules.ami(value));
    }

    public FormValidation doCheckPools(@QueryParameter String value) {
      return Forms.check(Ec2FieldRules.pools(value));
    }

    public FormValidation doCheckSubnets(@QueryParameter String value) {
      return Forms.check(Ec2FieldRules.subnets(value));
    }

    public FormValidation doCheckSecurityGroups(@QueryParameter String value) {
      return Forms.check(Ec2FieldRules.securityGroups(value));
    }

    public FormValidation doCheckInstanceProfile(@QueryParameter String value) {
      return Forms.check(Ec2FieldRules.instanceProfile(value));
    }

    public FormValidation doCheckMaxHosts(@QueryParameter String value) {
      return Forms.check(FieldRules.range("maxHosts", value, 1, Ec2FieldRules.MAX_HOSTS));
    }

    public FormValidation doCheckMaxSpotHosts(@QueryParameter String value) {
      return Forms.check(FieldRules.range("maxSpotHosts", value, 0, Ec2FieldRules.MAX_HOSTS));
    }

    public FormValidation doCheckOnDemandPrices(@QueryParameter String value) {
      return Forms.check(Ec2FieldRules.onDemandPrices(value));
    }

    public FormValidation doCheckQueueUrl(@QueryParameter String value) {
      return Forms.check(Ec2FieldRules.queueUrl(value));
    }

    public FormValidation doCheckRelayUrl(@QueryParameter String value) {
      return Forms.check(Ec2FieldRules.relayUrl(value));
    }

    public FormValidation doCheckRelayBind(@QueryParameter String value) {
      return Forms.check(Ec2FieldRules.relayBind(value));
    }

    public FormValidation doCheckIdentityCertificate(@QueryParameter String value) {
      return Forms.check(Ec2FieldRules.identityCertificate(value));
    }

    public FormValidation doCheckEc2Endpoint(@QueryParameter String value) {
      return Forms.check(Ec2FieldRules.ec2Endpoint(value));
    }

    public FormValidation doCheckSqsEndpoint(@QueryParameter String value) {
      return Forms.check(Ec2FieldRules.sqsEndpoint(value));
    }

    public FormValidation doCheckOverlayGateways(@QueryParameter String value) {
      return Forms.check(Ec2FieldRules.overlayGateways(value));
    }
  }
}
