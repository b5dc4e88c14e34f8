package io.spotnest.jenkins;

import static io.spotnest.jenkins.FieldRules.require;

import hudson.Extension;
import hudson.model.Descriptor;
import hudson.model.Label;
import hudson.model.Node;
import hudson.slaves.Cloud;
import hudson.slaves.NodeProvisioner.PlannedNode;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.spotnest.migration.AgentVmSpec;
import io.spotnest.migration.StandbyMemory;
import io.spotnest.orchestrator.adapter.vms.AgentImageSpecs;
import io.spotnest.strategy.fleet.CopyMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * SpotNest as a Jenkins cloud: it starts agents for builds whose label one of its templates
 * carries, within the cloud's and the templates' caps, through the orchestrator port. Builds
 * without a label never come here.
 */
public class SpotNestCloud extends Cloud {
  private static final Logger LOGGER = Logger.getLogger(SpotNestCloud.class.getName());
  static final int MAX_CLOUD_AGENTS = 10_000;
  static final int DEFAULT_HOST_MEMORY_MB = 8192;
  static final int MIN_HOST_MEMORY_MB = 512;
  static final int MAX_HOST_MEMORY_MB = 4 * 1024 * 1024;
  static final String DEFAULT_IMAGES_DIR = "/var/lib/spotnest/images";
  static final String DEFAULT_BRIDGE = "br0";
  static final int DEFAULT_LINK_MBPS = 1000;

  /** Below this, a guest dirtying memory at the policy's assumed rate never finishes migrating. */
  static final int MIN_LINK_MBPS = 1000;

  static final int MAX_LINK_MBPS = 400_000;

  /** The overlay MTU of a 1550-byte underlay (the lab's); 8951 on a 9001-byte VPC. */
  static final int DEFAULT_OVERLAY_MTU = AgentVmSpec.DEFAULT_MTU;

  /**
   * Copies at raised hazard for the agents of templates that chose ALWAYS or FLEET, never NEVER:
   * the rule the simulator scores, and what every cloud ran before the field existed.
   */
  static final CopyMode DEFAULT_STANDING_COPIES = CopyMode.AT_RISK;

  /**
   * Standbys in the backup's RAM and agent VMs in anonymous RAM: what every cloud ran before the
   * field existed, and what needs nothing of the hosts' disks.
   */
  static final StandbyMemory DEFAULT_STANDBY_MEMORY = StandbyMemory.RAM;

  /**
   * No room declared for standby files: SpotNest knows no host's disk, so until the administrator
   * says how much each host's {@code memory_backing_dir} holds, every standby stays in RAM.
   */
  static final int DEFAULT_STANDBY_STORE_GB = 0;

  static final int MAX_STANDBY_STORE_GB = 1024 * 1024;

  static final int MIN_OVERLAY_MTU = AgentImageSpecs.MIN_MTU;
  static final int MAX_OVERLAY_MTU = AgentImageSpecs.MAX_MTU;

  private int maxAgents = 10;
  private String jenkinsUrl = "";
  private List<SpotNestTemplate> templates = List.of();
  private String staticHosts = "";
  private int hostMemoryMb = DEFAULT_HOST_MEMORY_MB;
  private String imagesDir = DEFAULT_IMAGES_DIR;
  private String bridge = DEFAULT_BRIDGE;
  private int linkMbps = DEFAULT_LINK_MBPS;
  private int overlayMtu = DEFAULT_OVERLAY_MTU;
  private Ec2Fleet ec2;
  private String marketFeed = "";
  private String overlayGateways = "";
  private Boolean noDelayProvisioning;
  private CopyMode standingCopies = DEFAULT_STANDING_COPIES;
  private StandbyMemory standbyMemory = DEFAULT_STANDBY_MEMORY;
  private int standbyStoreGb = DEFAULT_STANDBY_STORE_GB;

  private transient SpotNestBackend backend;
  private transient AgentCensus census;
  private transient Supplier<String> rootUrl;

  @DataBoundConstructor
  public SpotNestCloud(String name) {
    super(checkedName(name));
  }

  /** For tests: the orchestrator, the agent count and the controller URL handed in. */
  SpotNestCloud(
      String name, SpotNestBackend backend, AgentCensus census, Supplier<String> rootUrl) {
    this(name);
    this.backend = backend;
    this.census = census;
    this.rootUrl = rootUrl;
  }

  private static String checkedName(String name) {
    require(FieldRules.cloudName(name));
    return name.trim();
  }

  public int getMaxAgents() {
    return maxAgents;
  }

  @DataBoundSetter
  public void setMaxAgents(int maxAgents) {
    require(FieldRules.range("maxAgents", maxAgents, 1, MAX_CLOUD_AGENTS));
    this.maxAgents = maxAgents;
  }

  public String getJenkinsUrl() {
    return jenkinsUrl;
  }

  @DataBoundSetter
  public void setJenkinsUrl(String jenkinsUrl) {
    require(FieldRules.jenkinsUrl(jenkinsUrl));
    this.jenkinsUrl = jenkinsUrl == null ? "" : jenkinsUrl.trim();
  }

  public List<SpotNestTemplate> getTemplates() {
    return templates;
  }

  @DataBoundSetter
  public void setTemplates(List<SpotNestTemplate> templates) {
    this.templates = templates == null ? List.of() : List.copyOf(templates);
  }

  public String getStaticHosts() {
    return staticHosts;
  }

  @DataBoundSetter
  public void setStaticHosts(String staticHosts) {
    require(FieldRules.staticHosts(staticHosts));
    this.staticHosts = staticHosts == null ? "" : staticHosts.strip();
  }

  public int getHostMemoryMb() {
    return hostMemoryMb;
  }

  @DataBoundSetter
  public void setHostMemoryMb(int hostMemoryMb) {
    require(FieldRules.range("hostMemoryMb", hostMemoryMb, MIN_HOST_MEMORY_MB, MAX_HOST_MEMORY_MB));
    this.hostMemoryMb = hostMemoryMb;
  }

  public String getImagesDir() {
    return imagesDir;
  }

  @DataBoundSetter
  public void setImagesDir(String imagesDir) {
    require(FieldRules.imagesDir(imagesDir));
    this.imagesDir = imagesDir.trim();
  }

  public String getBridge() {
    return bridge;
  }

  @DataBoundSetter
  public void setBridge(String bridge) {
    require(FieldRules.bridge(bridge));
    this.bridge = bridge.trim();
  }

  public int getLinkMbps() {
    return linkMbps;
  }

  @DataBoundSetter
  public void setLinkMbps(int linkMbps) {
    require(FieldRules.range("linkMbps", linkMbps, MIN_LINK_MBPS, MAX_LINK_MBPS));
    this.linkMbps = linkMbps;
  }

  /** The overlay's MTU; a cloud saved before the field existed has the default. */
  public int getOverlayMtu() {
    return overlayMtu == 0 ? DEFAULT_OVERLAY_MTU : overlayMtu;
  }

  @DataBoundSetter
  public void setOverlayMtu(int overlayMtu) {
    require(FieldRules.range("overlayMtu", overlayMtu, MIN_OVERLAY_MTU, MAX_OVERLAY_MTU));
    this.overlayMtu = overlayMtu;
  }

  /** The EC2 spot and on-demand hosts, or null for a cloud of static hosts. */
  public Ec2Fleet getEc2() {
    return ec2;
  }

  @DataBoundSetter
  public void setEc2(Ec2Fleet ec2) {
    this.ec2 = ec2;
  }

  /** The market data file for static hosts that are spot capacity; empty when none. */
  public String getMarketFeed() {
    return marketFeed == null ? "" : marketFeed;
  }

  @DataBoundSetter
  public void setMarketFeed(String marketFeed) {
    require(FieldRules.marketFeed(marketFeed));
    this.marketFeed = marketFeed == null ? "" : marketFeed.trim();
  }

  /**
   * The static hosts' overlay gateways (IPv4 VTEPs); empty when SpotNest runs nothing on the hosts,
   * also for a cloud saved before the field existed.
   */
  public String getOverlayGateways() {
    return overlayGateways == null ? "" : overlayGateways;
  }

  @DataBoundSetter
  public void setOverlayGateways(String overlayGateways) {
    require(Ec2FieldRules.overlayGateways(overlayGateways));
    this.overlayGateways = overlayGateways == null ? "" : overlayGateways.trim();
  }

  /**
   * Whether builds for this cloud's labels get agents at once ({@link SpotNestProvisionStrategy})
   * rather than after Jenkins' default provisioning delay; on unless turned off, also for a cloud
   * saved before the field existed.
   */
  public boolean isNoDelayProvisioning() {
    return noDelayProvisioning == null || noDelayProvisioning;
  }

  @DataBoundSetter
  public void setNoDelayProvisioning(boolean noDelayProvisioning) {
    this.noDelayProvisioning = noDelayProvisioning;
  }

  /**
   * When this cloud's agents get a standing copy on a backup host; {@link CopyMode#AT_RISK} unless
   * chosen, also for a cloud saved before the field existed.
   */
  public CopyMode getStandingCopies() {
    return standingCopies == null ? DEFAULT_STANDING_COPIES : standingCopies;
  }

  @DataBoundSetter
  public void setStandingCopies(CopyMode standingCopies) {
    if (standingCopies == null) {
      throw new IllegalArgumentException(
          "standingCopies: required, one of " + ChoiceNames.of(CopyMode.class, ", "));
    }
    this.standingCopies = standingCopies;
  }

  /**
   * Where a standing copy's backup holds the copy's memory: {@link StandbyMemory#FILE} in a file
   * under each host's libvirt {@code memory_backing_dir} (and every agent VM then runs with its RAM
   * in a file), {@link StandbyMemory#RAM} in its RAM; RAM unless chosen, also for a cloud saved
   * before the field existed.
   */
  public StandbyMemory getStandbyMemory() {
    return standbyMemory == null ? DEFAULT_STANDBY_MEMORY : standbyMemory;
  }

  @DataBoundSetter
  public void setStandbyMemory(StandbyMemory standbyMemory) {
    if (standbyMemory == null) {
      throw new IllegalArgumentException(
          "standbyMemory: required, " + ChoiceNames.of(StandbyMemory.class, ", ", " or "));
    }
    this.standbyMemory = standbyMemory;
  }

  /**
   * How much of each host's disk, in its libvirt {@code memory_backing_dir}, file-backed standbys
   * (and the VMs flushed from them, which run on from their files) may take, in GB; 0 (the default,
   * also for a cloud saved before the field existed): none known, so every standby is held in RAM.
   * Used only with {@code standbyMemory} {@code FILE}.
   */
  public int getStandbyStoreGb() {
    return standbyStoreGb;
  }

  @DataBoundSetter
  public void setStandbyStoreGb(int standbyStoreGb) {
    require(FieldRules.range("standbyStoreGb", standbyStoreGb, 0, MAX_STANDBY_STORE_GB));
    this.standbyStoreGb = standbyStoreGb;
  }

  /** What this cloud says about the fleet the orchestrator runs on. */
  public FleetSettings fleetSettings() {
    return new FleetSettings(
        name,
        staticHosts,
        hostMemoryMb,
        imagesDir,
        bridge,
        linkMbps,
        maxAgents,
        getOverlayMtu(),
        getMarketFeed(),
        getOverlayGateways(),
        getStandingCopies(),
        getStandbyMemory(),
        standbyStoreGb,
        Optional.ofNullable(ec2).map(Ec2Fleet::settings));
  }

  @Override
  public boolean canProvision(CloudState state) {
    return !matchingTemplates(state.getLabel()).isEmpty();
  }

  @Override
  public Collection<PlannedNode> provision(CloudState state, int excessWorkload) {
    List<PlannedNode> planned = new ArrayList<>();
    int wanted = excessWorkload;
    // agents planned earlier in this provisioning round (e.g. by SpotNestProvisionStrategy) are not
    // Jenkins nodes yet: count them against the caps, whichever template they are of
    int plannedThisRound = Math.max(0, state.getAdditionalPlannedCapacity());
    for (SpotNestTemplate template : matchingTemplates(state.getLabel())) {
      int count =
          ProvisioningPlan.agentsToStart(
              wanted,
              template.getMaxAgents(),
              census().agents(name, template.key()) + plannedThisRound,
              maxAgents,
              census().agents(name) + plannedThisRound + planned.size());
      for (int i = 0; i < count; i++) {
        planned.add(plan(template));
      }
      wanted -= count;
      if (wanted <= 0) {
        break;
      }
    }
    LOGGER.log(
        Level.FINE,
        "{0}: {1} agent(s) planned for label {2} (excess workload {3})",
        new Object[] {name, planned.size(), state.getLabel(), excessWorkload});
    return planned;
  }

  /** The templates whose labels satisfy the label expression; none for a build without a label. */
  List<SpotNestTemplate> matchingTemplates(Label label) {
    if (label == null) {
      return List.of();
    }
    List<SpotNestTemplate> matching = new ArrayList<>();
    for (SpotNestTemplate template : templates) {
      Set<String> atoms = template.labelSet();
      if (label.matches(atoms::contains)) {
        matching.add(template);
      }
    }
    return matching;
  }

  private PlannedNode plan(SpotNestTemplate template) {
    String agentName =
        name + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    CompletableFuture<Node> future;
    try {
      future =
          CompletableFuture.completedFuture(
              new SpotNestAgent(agentName, name, template, controllerUrl()).withBackend(backend));
    } catch (Descriptor.FormException | IOException | RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    return new PlannedNode(agentName, future, 1);
  }

  /**
   * The URL agents fetch agent.jar from and connect to: {@code jenkinsUrl}, else Jenkins' root URL.
   */
  String controllerUrl() {
    if (!jenkinsUrl.isEmpty()) {
      return jenkinsUrl;
    }
    return rootUrl != null ? rootUrl.get() : Jenkins.get().getRootUrl();
  }

  private AgentCensus census() {
    if (census == null) {
      census = new JenkinsAgentCensus();
    }
    return census;
  }

  /** The cloud form. */
  @Extension
  @Symbol("spotNest")
  public static final class DescriptorImpl extends Descriptor<Cloud> {
    public DescriptorImpl() {
      super(SpotNestCloud.class);
    }

    @Override
    public String getDisplayName() {
      return "SpotNest (live-migrating spot VMs)";
    }

    public FormValidation doCheckName(@QueryParameter String value) {
      return Forms.check(FieldRules.cloudName(value));
    }

    public FormValidation doCheckMaxAgents(@QueryParameter String value) {
      return Forms.check(FieldRules.range("maxAgents", value, 1, MAX_CLOUD_AGENTS));
    }

    public FormValidation doCheckStaticHosts(@QueryParameter String value) {
      if (FieldRules.isBlank(value)) {
        return FormValidation.warning(
            "staticHosts: empty; without EC2 hosts SpotNest has none to start agents on");
      }
      return Forms.check(FieldRules.staticHosts(value));
    }

    public FormValidation doCheckHostMemoryMb(@QueryParameter String value) {
      return Forms.check(
          FieldRules.range("hostMemoryMb", value, MIN_HOST_MEMORY_MB, MAX_HOST_MEMORY_MB));
    }

    public FormValidation doCheckImagesDir(@QueryParameter String value) {
      return Forms.check(FieldRules.imagesDir(value));
    }

    public FormValidation doCheckBridge(@QueryParameter String value) {
      return Forms.check(FieldRules.bridge(value));
    }

    public FormValidation doCheckLinkMbps(@QueryParameter String value) {
      return Forms.check(FieldRules.range("linkMbps", value, MIN_LINK_MBPS, MAX_LINK_MBPS));
    }

    public FormValidation doCheckOverlayMtu(@QueryParameter String value) {
      return Forms.check(FieldRules.range("overlayMtu", value, MIN_OVERLAY_MTU, MAX_OVERLAY_MTU));
    }

    public FormValidation doCheckMarketFeed(@QueryParameter String value) {
      String problem = FieldRules.marketFeed(value);
      if (problem == null && FieldRules.isBlank(value)) {
        return FormValidation.ok("Empty: every static host is on-demand capacity, never reclaimed");
      }
      return Forms.check(problem);
    }

    public ListBoxModel doFillStandingCopiesItems(@QueryParameter String standingCopies) {
      ListBoxModel items = new ListBoxModel();
      for (CopyMode mode : CopyMode.values()) {
        items.add(
            new ListBoxModel.Option(
                StandingCopyModes.displayName(mode),
                mode.name(),
                mode.name().equals(standingCopies)));
      }
      return items;
    }

    public FormValidation doCheckStandingCopies(@QueryParameter String value) {
      CopyMode mode;
      try {
        mode = CopyMode.valueOf(value);
      } catch (IllegalArgumentException | NullPointerException e) {
        return FormValidation.error(
            "standingCopies: choose " + ChoiceNames.of(CopyMode.class, ", ", " or "));
      }
      return mode == CopyMode.OFF
          ? FormValidation.warning(
              "standingCopies: OFF: a reclaim without an early warning restarts the agents' builds")
          : FormValidation.ok();
    }

    public ListBoxModel doFillStandbyMemoryItems(@QueryParameter String standbyMemory) {
      ListBoxModel items = new ListBoxModel();
      for (StandbyMemory memory : StandbyMemory.values()) {
        items.add(
            new ListBoxModel.Option(
                StandbyMemoryChoices.displayName(memory),
                memory.name(),
                memory.name().equals(standbyMemory)));
      }
      return items;
    }

    public FormValidation doCheckStandbyMemory(@QueryParameter String value) {
      StandbyMemory memory;
      try {
        memory = StandbyMemory.valueOf(value);
      } catch (IllegalArgumentException | NullPointerException e) {
        return FormValidation.error(
            "standbyMemory: choose " + ChoiceNames.of(StandbyMemory.class, ", ", " or "));
      }
      return memory == StandbyMemory.FILE
          ? FormValidation.ok(
              "FILE: every host's libvirt memory_backing_dir (qemu.conf) must be on a disk with"
                  + " room for the memory of the standbys it holds")
          : FormValidation.ok();
    }

    public FormValidation doCheckStandbyStoreGb(@QueryParameter String value) {
      String problem = FieldRules.range("standbyStoreGb", value, 0, MAX_STANDBY_STORE_GB);
      if (problem != null) {
        return FormValidation.error(problem);
      }
      return Integer.parseInt(value.trim()) == 0
          ? FormValidation.ok(
              "standbyStoreGb: 0: no room for standby files, so every standby is held in RAM")
          : FormValidation.ok();
    }

    public FormValidation doCheckOverlayGateways(@QueryParameter String value) {
      String problem = Ec2FieldRules.overlayGateways(value);
      if (problem == null && FieldRules.isBlank(value)) {
        return FormValidation.ok(
            "Empty: SpotNest runs nothing on the static hosts; their flood lists are kept by hand");
      }
      return Forms.check(problem);
    }

    public FormValidation doCheckJenkinsUrl(@QueryParameter String value) {
      String problem = FieldRules.jenkinsUrl(value);
      if (problem == null && FieldRules.isBlank(value)) {
        return FormValidation.ok("Empty: agents use the Jenkins URL from the system configuration");
      }
      return Forms.check(problem);
    }
  }
}
