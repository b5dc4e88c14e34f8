package io.spotnest.jenkins.orchestrator;

import hudson.Extension;
import io.spotnest.jenkins.FleetSettings;
import io.spotnest.jenkins.SpotNestCloud;
import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.tick.FleetConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import jenkins.model.Jenkins;

/**
 * The production {@link FleetWiring}: built on first use from the first SpotNest cloud of this
 * Jenkins (its static hosts, agent image location, bridge and link rate), its files under {@code
 * $JENKINS_HOME/spotnest}. A configuration it cannot use is one line naming the field.
 */
@Extension
public final class CloudFleetWiring implements FleetWiring {
  private final Supplier<List<FleetSettings>> clouds;
  private final Supplier<Path> jenkinsHome;
  private final FleetSeams seams;
  private FleetAssembly built;

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

  private synchronized FleetAssembly assembly() {
    if (built == null) {
      List<FleetSettings> all = clouds.get();
      if (all.isEmpty()) {
        throw new FleetConfigException(
            "SpotNest: no SpotNest cloud is configured (Manage Jenkins > Clouds)");
      }
      built = FleetAssembly.build(all.get(0), jenkinsHome.get().resolve("spotnest"), seams);
    }
    return built;
  }
}
