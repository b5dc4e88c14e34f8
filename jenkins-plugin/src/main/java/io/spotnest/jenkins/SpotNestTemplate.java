package io.spotnest.jenkins;

import static io.spotnest.jenkins.FieldRules.require;

import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.spotnest.jenkins.orchestrator.FleetConfigException;
import io.spotnest.jenkins.port.AgentSize;
import io.spotnest.jenkins.port.MarketPolicy;
import io.spotnest.jenkins.port.StandingCopyWish;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * One kind of agent a {@link SpotNestCloud} starts: its labels, VM size, image, market policy and
 * limits.
 */
public class SpotNestTemplate extends AbstractDescribableImpl<SpotNestTemplate> {
  static final int MIN_VCPUS = 1;
  static final int MAX_VCPUS = 64;
  static final int MIN_MEMORY_MB = 512;
  static final int MAX_MEMORY_MB = 262_144;
  static final int MIN_DISK_GB = 4;
  static final int MAX_DISK_GB = 2_048;
  static final int MAX_AGENTS = 1_000;
  static final int MAX_IDLE_MINUTES = 10_080;

  private final String labels;
  private int vcpus = 2;
  private int memoryMb = 4_096;
  private int diskGb = 20;
  private String image = "spotnest-agent";
  private MarketPolicy marketPolicy = MarketPolicy.PREFER_SPOT;
  private StandingCopyWish standingCopyWish = StandingCopyWish.FLEET;

  /** The yes/no box of older versions: read from a saved config.xml, never written back. */
  private transient Boolean standingCopy;

  private int maxAgents = 5;
  private int idleMinutes = 10;
  private String remoteFs = "/home/jenkins/agent";
  private String initScript = "";

  @DataBoundConstructor
  public SpotNestTemplate(String labels) {
    require(FieldRules.labels(labels));
    this.labels = labels.trim();
  }

  public String getLabels() {
    return labels;
  }

  /** The labels as a set of atoms. */
  public Set<String> labelSet() {
    return FieldRules.labelSet(labels);
  }

  /** Identifies the template within its cloud (for the per-template cap). */
  public String key() {
    return String.join(" ", new java.util.TreeSet<>(labelSet()));
  }

  public int getVcpus() {
    return vcpus;
  }

  @DataBoundSetter
  public void setVcpus(int vcpus) {
    require(FieldRules.range("vcpus", vcpus, MIN_VCPUS, MAX_VCPUS));
    this.vcpus = vcpus;
  }

  public int getMemoryMb() {
    return memoryMb;
  }

  @DataBoundSetter
  public void setMemoryMb(int memoryMb) {
    require(FieldRules.range("memoryMb", memoryMb, MIN_MEMORY_MB, MAX_MEMORY_MB));
    this.memoryMb = memoryMb;
  }

  public int getDiskGb() {
    return diskGb;
  }

  @DataBoundSetter
  public void setDiskGb(int diskGb) {
    require(FieldRules.range("diskGb", diskGb, MIN_DISK_GB, MAX_DISK_GB));
    this.diskGb = diskGb;
  }

  public AgentSize size() {
    return new AgentSize(vcpus, memoryMb, diskGb);
  }

  public String getImage() {
    return image;
  }

  @DataBoundSetter
  public void setImage(String image) {
    require(FieldRules.image(image));
    this.image = image.trim();
  }

  public MarketPolicy getMarketPolicy() {
    return marketPolicy;
  }

  @DataBoundSetter
  public void setMarketPolicy(MarketPolicy marketPolicy) {
    if (marketPolicy == null) {
      throw new IllegalArgumentException(
          "marketPolicy: required, one of SPOT_ONLY, PREFER_SPOT, ON_DEMAND_ONLY");
    }
    this.marketPolicy = marketPolicy;
  }

  public StandingCopyWish getStandingCopyWish() {
    return standingCopyWish;
  }

  @DataBoundSetter
  public void setStandingCopyWish(StandingCopyWish standingCopyWish) {
    if (standingCopyWish == null) {
      throw new IllegalArgumentException("standingCopyWish: required, one of ALWAYS, FLEET, NEVER");
    }
    this.standingCopyWish = standingCopyWish;
  }

  /**
   * The yes/no box of older versions, still bound for their configurations (CasC, scripts): yes is
   * {@link StandingCopyWish#ALWAYS}, no {@link StandingCopyWish#NEVER} (it was never copied).
   *
   * @deprecated use {@link #setStandingCopyWish}
   */
  @Deprecated
  @DataBoundSetter
  public void setStandingCopy(boolean standingCopy) {
    this.standingCopyWish = StandingCopyWish.ofBox(standingCopy);
  }

  /**
   * After XStream read a saved template: one saved with the yes/no box (no {@code
   * standingCopyWish}) keeps what it meant, yes always and no (or no box at all) never.
   */
  protected Object readResolve() {
    if (standingCopyWish == null) {
      standingCopyWish = StandingCopyWish.ofBox(Boolean.TRUE.equals(standingCopy));
    }
    standingCopy = null;
    return this;
  }

  public int getMaxAgents() {
    return maxAgents;
  }

  @DataBoundSetter
  public void setMaxAgents(int maxAgents) {
    require(FieldRules.range("maxAgents", maxAgents, 1, MAX_AGENTS));
    this.maxAgents = maxAgents;
  }

  public int getIdleMinutes() {
    return idleMinutes;
  }

  @DataBoundSetter
  public void setIdleMinutes(int idleMinutes) {
    require(FieldRules.range("idleMinutes", idleMinutes, 0, MAX_IDLE_MINUTES));
    this.idleMinutes = idleMinutes;
  }

  public String getRemoteFs() {
    return remoteFs;
  }

  @DataBoundSetter
  public void setRemoteFs(String remoteFs) {
    require(FieldRules.remoteFs(remoteFs));
    this.remoteFs = remoteFs.trim();
  }

  public String getInitScript() {
    return initScript;
  }

  @DataBoundSetter
  public void setInitScript(String initScript) {
    require(FieldRules.initScript(initScript));
    this.initScript = initScript == null ? "" : initScript;
  }

  /** The template form: checks and drop-downs for every field. */
  @Extension
  @Symbol("spotNestTemplate")
  public static final class DescriptorImpl extends Descriptor<SpotNestTemplate> {
    private final transient Supplier<SpotNestBackend> backend;
    private final transient PermissionGate gate;

    public DescriptorImpl() {
      this(SpotNestBackend::installed, PermissionGate.jenkins());
    }

    DescriptorImpl(Supplier<SpotNestBackend> backend, PermissionGate gate) {
      super(SpotNestTemplate.class);
      this.backend = backend;
      this.gate = gate;
    }

    @Override
    public String getDisplayName() {
      return "SpotNest agent template";
    }

    public FormValidation doCheckLabels(@QueryParameter String value) {
      return Forms.check(FieldRules.labels(value));
    }

    public FormValidation doCheckVcpus(@QueryParameter String value) {
      return Forms.check(FieldRules.range("vcpus", value, MIN_VCPUS, MAX_VCPUS));
    }

    public FormValidation doCheckMemoryMb(@QueryParameter String value) {
      return Forms.check(FieldRules.range("memoryMb", value, MIN_MEMORY_MB, MAX_MEMORY_MB));
    }

    public FormValidation doCheckDiskGb(@QueryParameter String value) {
      return Forms.check(FieldRules.range("diskGb", value, MIN_DISK_GB, MAX_DISK_GB));
    }

    /** Asks the orchestrator whether it has the image, so it needs POST and an administrator. */
    @POST
    public FormValidation doCheckImage(@QueryParameter String value) {
      gate.check(Jenkins.ADMINISTER);
      String problem = FieldRules.image(value);
      if (problem != null) {
        return FormValidation.error(problem);
      }
      List<String> images;
      try {
        images = backend.get().controller().images();
      } catch (FleetConfigException e) {
        return FormValidation.warning(
            "image: cannot ask the orchestrator (" + e.getMessage() + ")");
      }
      return images.contains(value.trim())
          ? FormValidation.ok()
          : FormValidation.warning(
              "image: the orchestrator has no image '"
                  + value.trim()
                  + "' yet; agents of this template will not start until it has");
    }

    /** Lists the orchestrator's images, so it needs POST and an administrator. */
    @POST
    public ListBoxModel doFillImageItems(@QueryParameter String image) {
      gate.check(Jenkins.ADMINISTER);
      ListBoxModel items = new ListBoxModel();
      List<String> images;
      try {
        images = backend.get().controller().images();
      } catch (FleetConfigException e) {
        // the image check says why; keep the saved value selectable
        images = FieldRules.isBlank(image) ? List.of() : List.of(image.trim());
      }
      for (String name : images) {
        items.add(new ListBoxModel.Option(name, name, name.equals(image)));
      }
      return items;
    }

    public ListBoxModel doFillMarketPolicyItems(@QueryParameter String marketPolicy) {
      ListBoxModel items = new ListBoxModel();
      for (MarketPolicy policy : MarketPolicy.values()) {
        items.add(
            new ListBoxModel.Option(
                policy.displayName(), policy.name(), policy.name().equals(marketPolicy)));
      }
      return items;
    }

    public FormValidation doCheckMarketPolicy(@QueryParameter String value) {
      try {
        MarketPolicy policy = MarketPolicy.valueOf(value);
        return policy == MarketPolicy.ON_DEMAND_ONLY
            ? FormValidation.ok("On-demand hosts are never reclaimed, and cost the most")
            : FormValidation.ok();
      } catch (IllegalArgumentException | NullPointerException e) {
        return FormValidation.error(
            "marketPolicy: choose SPOT_ONLY, PREFER_SPOT or ON_DEMAND_ONLY");
      }
    }

    public ListBoxModel doFillStandingCopyWishItems(@QueryParameter String standingCopyWish) {
      ListBoxModel items = new ListBoxModel();
      for (StandingCopyWish wish : StandingCopyWish.values()) {
        items.add(
            new ListBoxModel.Option(
                wish.displayName(), wish.name(), wish.name().equals(standingCopyWish)));
      }
      return items;
    }

    public FormValidation doCheckStandingCopyWish(
        @QueryParameter String value, @QueryParameter String marketPolicy) {
      StandingCopyWish wish;
      try {
        wish = StandingCopyWish.valueOf(value);
      } catch (IllegalArgumentException | NullPointerException e) {
        return FormValidation.error("standingCopyWish: choose ALWAYS, FLEET or NEVER");
      }
      if (wish == StandingCopyWish.ALWAYS
          && MarketPolicy.ON_DEMAND_ONLY.name().equals(marketPolicy)) {
        return FormValidation.warning(
            "standingCopyWish: on-demand hosts are not reclaimed, so a standing copy only adds"
                + " cost");
      }
      return FormValidation.ok();
    }

    public FormValidation doCheckMaxAgents(@QueryParameter String value) {
      return Forms.check(FieldRules.range("maxAgents", value, 1, MAX_AGENTS));
    }

    public FormValidation doCheckIdleMinutes(@QueryParameter String value) {
      String problem = FieldRules.range("idleMinutes", value, 0, MAX_IDLE_MINUTES);
      if (problem == null && Integer.parseInt(value.trim()) == 0) {
        return FormValidation.ok("idleMinutes: 0 ends an agent as soon as its build is done");
      }
      return Forms.check(problem);
    }

    public FormValidation doCheckRemoteFs(@QueryParameter String value) {
      return Forms.check(FieldRules.remoteFs(value));
    }

    public FormValidation doCheckInitScript(@QueryParameter String value) {
      return Forms.check(FieldRules.initScript(value));
    }
  }
}
