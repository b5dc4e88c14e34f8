package io.spotnest.jenkins;

import io.spotnest.dashboard.DashboardJson;
import io.spotnest.dashboard.DashboardSnapshot;
import io.spotnest.jenkins.port.AgentEvent;
import io.spotnest.jenkins.port.AgentLaunchRequest;
import io.spotnest.jenkins.port.AgentPlacement;
import io.spotnest.jenkins.port.AgentStatus;
import io.spotnest.jenkins.port.HostStatus;
import io.spotnest.jenkins.port.SpotNestController;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** An orchestrator double at the port: records what the plugin asked for. */
final class FakeController implements SpotNestController, SpotNestBackend {
  final List<AgentLaunchRequest> started = new ArrayList<>();
  final List<String> terminated = new ArrayList<>();
  final List<String> migrated = new ArrayList<>();
  final List<String> drained = new ArrayList<>();
  final List<AgentStatus> agents = new ArrayList<>();
  final List<HostStatus> hosts = new ArrayList<>();
  final List<String> images = new ArrayList<>(List.of("spotnest-agent", "spotnest-agent-jdk21"));
  String placeOn = "host-a";

  /** What the dashboard's documents show (rendered by the real DashboardJson); none when null. */
  DashboardSnapshot dashboard;

  RuntimeException startFailure;

  /** What each {@link #tick} throws; none when null. */
  RuntimeException tickFailure;

  @Override
  public SpotNestController controller() {
    return this;
  }

  @Override
  public CompletableFuture<AgentPlacement> startAgent(AgentLaunchRequest request) {
    started.add(request);
    if (startFailure != null) {
      return CompletableFuture.failedFuture(startFailure);
    }
    return CompletableFuture.completedFuture(new AgentPlacement(request.agentName(), placeOn));
  }

  @Override
  public void terminateAgent(String agentName) {
    terminated.add(agentName);
  }

  @Override
  public List<AgentStatus> agents() {
    return List.copyOf(agents);
  }

  @Override
  public List<HostStatus> hosts() {
    return List.copyOf(hosts);
  }

  @Override
  public List<String> images() {
    return List.copyOf(images);
  }

  @Override
  public void migrateNow(String agentName) {
    if (agentName.equals("unknown")) {
      throw new IllegalArgumentException("no agent named unknown");
    }
    migrated.add(agentName);
  }

  @Override
  public void drainHost(String hostId) {
    drained.add(hostId);
  }

  @Override
  public Optional<byte[]> dashboardJson(String endpoint) {
    return dashboard == null ? Optional.empty() : new DashboardJson().render(endpoint, dashboard);
  }

  @Override
  public void tick() {
    if (tickFailure != null) {
      throw tickFailure;
    }
  }

  @Override
  public AutoCloseable subscribe(Consumer<AgentEvent> listener) {
    return () -> {};
  }
}
