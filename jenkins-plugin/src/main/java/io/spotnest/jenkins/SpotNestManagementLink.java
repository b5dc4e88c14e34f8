package io.spotnest.jenkins;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.ManagementLink;
import hudson.security.Permission;
import hudson.util.FormValidation;
import io.spotnest.jenkins.orchestrator.FleetConfigException;
import io.spotnest.jenkins.port.AgentStatus;
import io.spotnest.jenkins.port.HostStatus;
import io.spotnest.jenkins.port.SpotNestController;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.HttpRedirect;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerProxy;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.verb.POST;

/**
 * The SpotNest page under Manage Jenkins: hosts and agents, with "migrate now" and "drain host".
 * Only administrators see or use it; the actions take POST only (Jenkins adds the CSRF crumb check
 * to POSTs).
 */
@Extension
public class SpotNestManagementLink extends ManagementLink implements StaplerProxy {
  private final Supplier<SpotNestBackend> backend;
  private final PermissionGate gate;
  private final Supplier<LostBuildOutcomes> outcomes;
  private final ObjectMapper mapper = new ObjectMapper();
  private final LossesWithOutcomes losses = new LossesWithOutcomes();

  /** The dashboard's lost-builds endpoint, which the page shows with what Jenkins did. */
  static final String LOSSES = "/api/losses";

  public SpotNestManagementLink() {
    this(
        SpotNestBackend::installed,
        PermissionGate.jenkins(),
        () -> ExtensionList.lookupSingleton(SpotNestTick.class).outcomes());
  }

  /** A page that knows no outcome of a loss yet (as right after the controller started). */
  SpotNestManagementLink(Supplier<SpotNestBackend> backend, PermissionGate gate) {
    this(backend, gate, new LostBuildOutcomes(Clock.systemUTC(), LostBuildOutcomes.KEPT));
  }

  /**
   * @param outcomes what Jenkins did with the builds of each lost agent (the periodic task's relay
   *     keeps them)
   */
  SpotNestManagementLink(
      Supplier<SpotNestBackend> backend, PermissionGate gate, LostBuildOutcomes outcomes) {
    this(backend, gate, () -> outcomes);
  }

  private SpotNestManagementLink(
      Supplier<SpotNestBackend> backend,
      PermissionGate gate,
      Supplier<LostBuildOutcomes> outcomes) {
    this.backend = backend;
    this.gate = gate;
    this.outcomes = outcomes;
  }

  @Override
  public String getIconFileName() {
    return "symbol-cloud";
  }

  @Override
  public String getUrlName() {
    return "spotnest";
  }

  @Override
  public String getDisplayName() {
    return "SpotNest";
  }

  @Override
  public String getDescription() {
    return "Hosts, agents and their reclaim risk; migrate an agent now or drain a host.";
  }

  @Override
  public Permission getRequiredPermission() {
    return Jenkins.ADMINISTER;
  }

  @Override
  public Category getCategory() {
    return Category.STATUS;
  }

  /** Every request to the page goes through here first: administrators only. */
  @Override
  public Object getTarget() {
    gate.check(Jenkins.ADMINISTER);
    return this;
  }

  public List<HostStatus> getHosts() {
    gate.check(Jenkins.ADMINISTER);
    return fromController(SpotNestController::hosts, why -> List.of()); // getProblem() says why
  }

  public List<AgentStatus> getAgents() {
    gate.check(Jenkins.ADMINISTER);
    return fromController(SpotNestController::agents, why -> List.of()); // getProblem() says why
  }

  /**
   * Why the fleet cannot start (one line naming the cloud's field), shown at the top of the page;
   * null when it runs.
   */
  public String getProblem() {
    gate.check(Jenkins.ADMINISTER);
    return fromController(controller -> null, why -> why);
  }

  /**
   * What {@code read} takes from the fleet's controller or, when the fleet cannot start, what
   * {@code otherwise} makes of the one line saying why.
   */
  private <T> T fromController(
      Function<SpotNestController, T> read, Function<String, T> otherwise) {
    SpotNestController controller;
    try {
      controller = backend.get().controller();
    } catch (FleetConfigException e) {
      return otherwise.apply(e.getMessage());
    }
    return read.apply(controller);
  }

  /**
   * The dashboard's JSON document for {@code endpoint} (e.g. {@code /api/summary}): what the page
   * polls. An endpoint with no document is 404 with a one-line plain text; while the fleet cannot
   * start, every endpoint is 503 with {@code {"error": "<why>"}}.
   */
  public HttpResponse doApi(@QueryParameter String endpoint) {
    String path = endpoint == null ? "" : endpoint.trim();
    Optional<ApiDocument> document = document(path);
    if (document.isEmpty()) {
      return text(
          404, "No SpotNest document at " + (path.isEmpty() ? "an empty endpoint" : path) + "\n");
    }
    return new HttpResponse() {
      @Override
      public void generateResponse(StaplerRequest2 req, StaplerResponse2 rsp, Object node)
          throws IOException {
        rsp.setStatus(document.get().status());
        rsp.setContentType("application/json;charset=UTF-8");
        rsp.getOutputStream().write(document.get().json());
      }
    };
  }

  private static HttpResponse text(int status, String message) {
    return new HttpResponse() {
      @Override
      public void generateResponse(StaplerRequest2 req, StaplerResponse2 rsp, Object node)
          throws IOException {
        rsp.setStatus(status);
        rsp.setContentType("text/plain;charset=UTF-8");
        rsp.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
      }
    };
  }

  /**
   * One JSON answer of {@link #doApi}: a document (200), or while the fleet cannot start the one
   * line saying why as {@code {"error": ...}} (503, Service Unavailable).
   */
  record ApiDocument(int status, byte[] json) {}

  /**
   * The same documents as the dashboard's endpoints, rendered by its {@code DashboardJson}, empty
   * for an endpoint without one; {@code /api/losses} with what Jenkins did about each loss ({@code
   * jenkins}, {@link LossesWithOutcomes}); while the fleet cannot start, a document saying why.
   * Administrators only.
   */
  Optional<ApiDocument> document(String endpoint) {
    gate.check(Jenkins.ADMINISTER);
    String path = endpoint == null ? "" : endpoint.trim();
    return fromController(
        controller ->
            controller
                .dashboardJson(path)
                .map(json -> new ApiDocument(200, withJenkinsOutcomes(path, json))),
        why -> Optional.of(new ApiDocument(503, errorDocument(why))));
  }

  /** The losses document gets, per loss, what Jenkins did; every other document is as rendered. */
  private byte[] withJenkinsOutcomes(String path, byte[] json) {
    return path.equals(LOSSES) ? losses.of(json, outcomes.get()) : json;
  }

  private byte[] errorDocument(String message) {
    try {
      return mapper.writeValueAsBytes(Map.of("error", message));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the error document", e);
    }
  }

  @POST
  public HttpResponse doMigrateNow(@QueryParameter String agent) {
    gate.check(Jenkins.ADMINISTER);
    if (FieldRules.isBlank(agent)) {
      return FormValidation.error("agent: name the agent to migrate");
    }
    try {
      backend.get().controller().migrateNow(agent.trim());
    } catch (IllegalArgumentException | IllegalStateException e) {
      return FormValidation.error("agent: " + e.getMessage());
    }
    return HttpRedirect.DOT;
  }

  @POST
  public HttpResponse doDrainHost(@QueryParameter String host) {
    gate.check(Jenkins.ADMINISTER);
    if (FieldRules.isBlank(host)) {
      return FormValidation.error("host: name the host to drain");
    }
    try {
      backend.get().controller().drainHost(host.trim());
    } catch (IllegalArgumentException | IllegalStateException e) {
      return FormValidation.error("host: " + e.getMessage());
    }
    return HttpRedirect.DOT;
  }
}
