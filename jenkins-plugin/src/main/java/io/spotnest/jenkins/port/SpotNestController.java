package io.spotnest.jenkins.port;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The plugin's only view of the SpotNest orchestrator. An adapter outside the Jenkins glue binds it
 * to the orchestrator that runs in the controller's JVM; tests use fakes. Nothing behind this
 * interface knows Jenkins. A command the fleet cannot carry out now (it cannot write its journal)
 * throws an {@link IllegalStateException} whose message is the whole story.
 */
public interface SpotNestController {

  /**
   * Boots the VM of one agent; completes once the VM is placed on a host (the agent then dials in).
   * Idempotent per agent name: for an agent that already runs (e.g. after a controller restart) it
   * completes with the current placement. The request's secret goes to the VM's config disk only,
   * never to a log.
   */
  CompletableFuture<AgentPlacement> startAgent(AgentLaunchRequest request);

  /** Stops and deletes the agent's VM; unknown names are ignored. */
  void terminateAgent(String agentName);

  /** Every agent the orchestrator knows, for caps and the admin page. */
  List<AgentStatus> agents();

  /** Every host, for the admin page. */
  List<HostStatus> hosts();

  /** The agent images a template may name. */
  List<String> images();

  /** Live-migrates the agent now, away from its current host. */
  void migrateNow(String agentName);

  /** Moves every agent off the host and places no new one there. */
  void drainHost(String hostId);

  /** Delivers migration and loss events until the returned handle is closed. */
  AutoCloseable subscribe(Consumer<AgentEvent> listener);

  /**
   * What Jenkins sees of an agent right now (its channel connected, a build running);
   * level-triggered, so the periodic task may say the same thing every time.
   */
  default void agentActivity(String agentName, boolean connected, boolean busy) {}

  /** One pass of the risk loop; the plugin's periodic task calls it. */
  default void tick() {}

  /**
   * The document of a dashboard JSON endpoint (e.g. {@code /api/summary}), for the admin page;
   * empty if none.
   */
  default Optional<byte[]> dashboardJson(String endpoint) {
    return Optional.empty();
  }
}
