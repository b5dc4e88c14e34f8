package io.spotnest.jenkins.orchestrator;

import hudson.Extension;
import io.spotnest.jenkins.FleetSettings;
import io.spotnest.jenkins.SpotNestCloud;
import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.tick.FleetConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * The production {@link FleetWiring}: the fleet of the first SpotNest cloud of this Jenkins, built
 * on first use from its {@link FleetSettings} by {@link FleetAssembly}: static hosts over SSH, or
 * EC2 spot and on-demand hosts ({@link Ec2Assembly}), with the agent image location, bridge, link
 * rate and caps; its files under {@code $JENKINS_HOME/spotnest}. When the cloud's fleet settings
 * change (a saved form, configuration as code) the next use closes the old fleet and builds a new
 * one; the orchestrator's journal under the same home keeps its state. {@link #close()} (at Jenkins
 * shutdown, {@link FleetShutdown}) closes what the fleet opened. A configuration it cannot use is
 * one line naming the field.
 */
@Extension
public final class CloudFleetWiring implements FleetWiring, AutoCloseable {
  private static final Logger LOGGER = Logger.getLogger(CloudFleetWiring.class.getName());
  private final Supplier<List<FleetSettings>> clouds;
  private final Supplier<Path> jenkinsHome;
  private final FleetSeams seams;
  private FleetAssembly built;
  private FleetSettings builtFrom;
  private boolean stopped;

  public CloudFleetWiring() {
    this(
        () ->
            Jenkins.get().clouds.getAll(SpotNestCloud.class).stream()
                .map(SpotNestCloud::fleetSettings)
                .toList(),
        () -> Jenkins.get().getRootDir().toPath(),
        FleetSeams.real());
  }

  /** For tests: the clouds, the home and the seams handed in. */
  public CloudFleetWiring(
      Supplier<List<FleetSettings>> clouds, Supplier<Path> jenkinsHome, FleetSeams seams) {
    this.clouds = clouds;
    this.jenkinsHome = jenkinsHome;
    this.seams = seams;
  }

  @Override
  public Orchestrator.Ports ports() {
    return assembly().ports();
  }

  @Override
  public FleetConfig config() {
    return assembly().config();
  }

  /**
   * Closes the fleet (provider, event pumps, tunnels, libvirt connections) for good: Jenkins is
   * stopping, and a tick that comes after builds nothing.
   */
  @Override
  public synchronized void close() {
    stopped = true;
    closeFleet();
  }

  private void closeFleet() {
    if (built != null) {
      FleetAssembly old = built;
      built = null;
      builtFrom = null;
      old.close();
    }
  }

  private synchronized FleetAssembly assembly() {
    if (stopped) {
      throw new FleetConfigException("SpotNest: Jenkins is shutting down; the fleet is closed");
    }
    List<FleetSettings> all = clouds.get();
    if (all.isEmpty()) {
      closeFleet();
      throw new FleetConfigException(
          "SpotNest: no SpotNest cloud is configured (Manage Jenkins > Clouds)");
    }
    FleetSettings wanted = all.get(0);
    if (built != null && wanted.equals(builtFrom)) {
      return built;
    }
    if (built != null) {
      LOGGER.info(
          "SpotNest: the fleet settings of cloud "
              + wanted.cloudName()
              + " changed; rebuilding the fleet");
      closeFleet();
    }
    built = FleetAssembly.build(wanted, jenkinsHome.get().resolve("spotnest"), seams);
    builtFrom = wanted;
    return built;
  }
}
