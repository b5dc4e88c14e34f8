package io.spotnest.jenkins;

import hudson.Extension;
import hudson.model.Descriptor;
import hudson.model.TaskListener;
import hudson.slaves.ComputerLauncher;
import hudson.slaves.JNLPLauncher;
import hudson.slaves.SlaveComputer;
import io.spotnest.jenkins.port.AgentPlacement;
import io.spotnest.jenkins.port.AgentSecret;
import java.io.PrintStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts the agent's VM through the orchestrator, handing it the inbound secret for its config
 * disk; the VM fetches agent.jar from the controller and connects back over WebSocket. The secret
 * is never written to a log.
 */
public class SpotNestLauncher extends JNLPLauncher {
  static final long PLACEMENT_TIMEOUT_MINUTES = 10;

  private transient volatile boolean started;

  public SpotNestLauncher() {
    setWebSocket(true);
  }

  /**
   * Jenkins calls {@link #launch} until the VM is started; after that the agent dials in by itself.
   */
  @Override
  public boolean isLaunchSupported() {
    return !started;
  }

  @Override
  public void launch(SlaveComputer computer, TaskListener listener) {
    PrintStream log = listener.getLogger();
    if (!(computer.getNode() instanceof SpotNestAgent agent)) {
      log.println(
          BuildLogMessages.PREFIX
              + computer.getName()
              + " is not a SpotNest agent; nothing to start");
      return;
    }
    SpotNestTemplate template = agent.getTemplate();
    log.println(
        BuildLogMessages.PREFIX
            + "Starting the VM of agent "
            + agent.getNodeName()
            + ": "
            + template.getVcpus()
            + " vCPU, "
            + template.getMemoryMb()
            + " MB RAM, "
            + template.getDiskGb()
            + " GB disk, image "
            + template.getImage()
            + ", "
            + template.getMarketPolicy().displayName());
    try {
      AgentPlacement placement =
          agent
              .backend()
              .controller()
              .startAgent(agent.launchRequest(new AgentSecret(computer.getJnlpMac())))
              .get(PLACEMENT_TIMEOUT_MINUTES, TimeUnit.MINUTES);
      started = true;
      log.println(
          BuildLogMessages.PREFIX
              + "The VM of agent "
              + agent.getNodeName()
              + " runs on host "
              + placement.hostId()
              + "; it fetches agent.jar from "
              + agent.getControllerUrl()
              + " and connects over WebSocket");
    } catch (IllegalStateException e) {
      // the fleet is not available (configuration, libvirt's library): one line, no stack trace
      log.println(
          BuildLogMessages.PREFIX
              + "Could not start the VM of agent "
              + agent.getNodeName()
              + ": "
              + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.println(
          BuildLogMessages.PREFIX
              + "Interrupted while starting the VM of agent "
              + agent.getNodeName());
    } catch (ExecutionException e) {
      log.println(
          BuildLogMessages.PREFIX
              + "Could not start the VM of agent "
              + agent.getNodeName()
              + ": "
              + e.getCause().getMessage());
    } catch (TimeoutException e) {
      log.println(
          BuildLogMessages.PREFIX
              + "The VM of agent "
              + agent.getNodeName()
              + " was not placed within "
              + PLACEMENT_TIMEOUT_MINUTES
              + " minutes");
    }
  }

  /** Shown on the agent's page. */
  @Extension
  public static final class DescriptorImpl extends Descriptor<ComputerLauncher> {
    public DescriptorImpl() {
      super(SpotNestLauncher.class);
    }

    @Override
    public String getDisplayName() {
      return "SpotNest VM (inbound over WebSocket)";
    }
  }
}
