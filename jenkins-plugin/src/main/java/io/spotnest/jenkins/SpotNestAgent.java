package io.spotnest.jenkins;

import hudson.Extension;
import hudson.model.Descriptor;
import hudson.model.TaskListener;
import hudson.slaves.AbstractCloudComputer;
import hudson.slaves.AbstractCloudSlave;
import io.spotnest.jenkins.port.AgentLaunchRequest;
import io.spotnest.jenkins.port.AgentSecret;
import java.io.IOException;
import java.util.logging.Logger;

/** One SpotNest VM as a Jenkins node: one executor, only for builds that ask for its labels. */
public class SpotNestAgent extends AbstractCloudSlave {
  private static final long serialVersionUID = 1L;
  private static final Logger LOGGER = Logger.getLogger(SpotNestAgent.class.getName());

  private final String cloudName;
  private final SpotNestTemplate template;
  private final String controllerUrl;
  private transient SpotNestBackend backend;

  public SpotNestAgent(
      String name, String cloudName, SpotNestTemplate template, String controllerUrl)
      throws Descriptor.FormException, IOException {
    super(name, template.getRemoteFs(), new SpotNestLauncher());
    this.cloudName = cloudName;
    this.template = template;
    this.controllerUrl = controllerUrl;
    setNodeDescription("SpotNest agent of cloud " + cloudName + " (" + template.getLabels() + ")");
    setNumExecutors(1);
    setMode(Mode.EXCLUSIVE);
    setLabelString(template.getLabels());
    setRetentionStrategy(new SpotNestRetentionStrategy(template.getIdleMinutes()));
  }

  /** For tests and the cloud: use this backend instead of the installed one. */
  SpotNestAgent withBackend(SpotNestBackend backend) {
    this.backend = backend;
    return this;
  }

  SpotNestBackend backend() {
    return backend != null ? backend : SpotNestBackend.installed();
  }

  public String getCloudName() {
    return cloudName;
  }

  public SpotNestTemplate getTemplate() {
    return template;
  }

  public String getControllerUrl() {
    return controllerUrl;
  }

  /** What the orchestrator needs to boot this agent's VM. */
  AgentLaunchRequest launchRequest(AgentSecret secret) {
    return new AgentLaunchRequest(
        getNodeName(),
        cloudName,
        template.labelSet(),
        template.size(),
        template.getImage(),
        template.getMarketPolicy(),
        template.getStandingCopyWish(),
        getRemoteFS(),
        template.getInitScript(),
        controllerUrl,
        secret);
  }

  @Override
  public AbstractCloudComputer<SpotNestAgent> createComputer() {
    return new SpotNestComputer(this);
  }

  /**
   * Ends the agent's VM. Jenkins removes the node whatever this does, and neither an agent deleted
   * on its page nor the retention loop expects a runtime exception: while the fleet cannot end it
   * (it cannot start, or cannot write its journal) the end is kept for when it can ({@link
   * SpotNestBackend#endWhenStarted}), said in one line.
   */
  @Override
  protected void _terminate(TaskListener listener) {
    try {
      backend().controller().terminateAgent(getNodeName());
    } catch (IllegalStateException e) {
      String line =
          BuildLogMessages.PREFIX
              + (backend().endWhenStarted(getNodeName())
                  ? "The VM of agent "
                      + getNodeName()
                      + " cannot be ended now, so it is ended once the fleet can: "
                  : "Could not end the VM of agent " + getNodeName() + ", which may run on: ")
              + e.getMessage();
      LOGGER.warning(line);
      listener.getLogger().println(line);
      return;
    }
    listener
        .getLogger()
        .println(BuildLogMessages.PREFIX + "Terminated the VM of agent " + getNodeName());
  }

  /** Agents are made by the cloud, never by hand. */
  @Extension
  public static final class DescriptorImpl extends SlaveDescriptor {
    @Override
    public String getDisplayName() {
      return "SpotNest agent";
    }

    @Override
    public boolean isInstantiable() {
      return false;
    }
  }
}
