package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.security.Permission;
import hudson.util.FormValidation;
import io.spotnest.jenkins.orchestrator.FleetConfigException;
import io.spotnest.jenkins.port.AgentPhase;
import io.spotnest.jenkins.port.AgentStatus;
import io.spotnest.jenkins.port.HostStatus;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.HttpRedirect;
import org.kohsuke.stapler.verb.POST;

class SpotNestManagementLinkTest {
  private final FakeController orchestrator = new FakeController();
  private final List<Permission> granted = new ArrayList<>();
  private final List<Permission> asked = new ArrayList<>();
  private final SpotNestManagementLink page =
      new SpotNestManagementLink(
          () -> orchestrator,
          permission -> {
            asked.add(permission);
            if (!granted.contains(permission)) {
              throw new SecurityException("missing " + permission);
            }
          });

  @Test
  void it_is_an_administrators_page_under_manage_jenkins() {
    assertSame(Jenkins.ADMINISTER, page.getRequiredPermission());
    assertEquals("spotnest", page.getUrlName());
    assertEquals("SpotNest", page.getDisplayName());
  }

  @Test
  void a_non_administrator_is_refused_and_nothing_happens() {
    assertThrows(SecurityException.class, page::getTarget);
    assertThrows(SecurityException.class, page::getHosts);
    assertThrows(SecurityException.class, page::getAgents);
    assertThrows(SecurityException.class, () -> page.doMigrateNow("nest-1"));
    assertThrows(SecurityException.class, () -> page.doDrainHost("spot-a"));
    assertTrue(orchestrator.migrated.isEmpty());
    assertTrue(orchestrator.drained.isEmpty());
    assertTrue(asked.stream().allMatch(p -> p == Jenkins.ADMINISTER));
  }

  @Test
  void an_administrator_migrates_an_agent_and_drains_a_host() {
    granted.add(Jenkins.ADMINISTER);
    assertSame(page, page.getTarget());
    assertSame(HttpRedirect.DOT, page.doMigrateNow(" nest-1 "));
    assertSame(HttpRedirect.DOT, page.doDrainHost("spot-a"));
    assertEquals(List.of("nest-1"), orchestrator.migrated);
    assertEquals(List.of("spot-a"), orchestrator.drained);
  }

  @Test
  void an_administrator_sees_hosts_and_agents() {
    granted.add(Jenkins.ADMINISTER);
    orchestrator.hosts.add(new HostStatus("spot-a", "spot", 0.31, 2, false));
    orchestrator.agents.add(new AgentStatus("nest-1", "nest", "spot-a", AgentPhase.RUNNING));
    assertEquals("spot-a", page.getHosts().get(0).hostId());
    assertEquals("nest-1", page.getAgents().get(0).agentName());
  }

  @Test
  void a_fleet_that_cannot_start_shows_its_one_line_instead_of_failing_the_page() {
    granted.add(Jenkins.ADMINISTER);
    SpotNestManagementLink broken =
        new SpotNestManagementLink(
            () -> {
              throw new FleetConfigException("staticHosts: no hosts listed");
            },
            permission -> {});
    assertEquals(List.of(), broken.getHosts());
    assertEquals(List.of(), broken.getAgents());
    assertEquals("staticHosts: no hosts listed", broken.getProblem());
    assertEquals(
        "{\"error\":\"staticHosts: no hosts listed\"}",
        new String(
            broken.document("/api/summary").orElseThrow().json(),
            java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(
        "agent: staticHosts: no hosts listed",
        assertInstanceOf(FormValidation.class, broken.doMigrateNow("nest-1")).getMessage());
    assertEquals(null, page.getProblem(), "a working fleet has no problem to show");
  }

  /**
   * While the fleet cannot start, every document is that one line as JSON with 503 (Service
   * Unavailable), so a reader (the page's script, a monitor) cannot take it for data.
   */
  @Test
  void a_fleet_that_cannot_start_answers_the_api_with_503_and_its_one_line_as_json()
      throws Exception {
    SpotNestManagementLink broken =
        new SpotNestManagementLink(
            () -> {
              throw new FleetConfigException("staticHosts: no hosts listed");
            },
            permission -> {});

    for (String endpoint : List.of("/api/summary", "/api/losses", "/api/pools")) {
      RecordedResponse answer = RecordedResponse.of(broken.doApi(endpoint), broken);

      assertEquals(503, answer.status(), endpoint + ": " + answer);
      assertEquals("application/json;charset=UTF-8", answer.contentType());
      assertEquals("{\"error\":\"staticHosts: no hosts listed\"}", answer.text());
    }
  }

  @Test
  void bad_action_input_is_answered_with_the_field_name() {
    granted.add(Jenkins.ADMINISTER);
    assertEquals(
        "agent: name the agent to migrate",
        assertInstanceOf(FormValidation.class, page.doMigrateNow(" ")).getMessage());
    assertEquals(
        "host: name the host to drain",
        assertInstanceOf(FormValidation.class, page.doDrainHost(null)).getMessage());
    assertEquals(
        "agent: no agent named unknown",
        assertInstanceOf(FormValidation.class, page.doMigrateNow("unknown")).getMessage());
  }

  @Test
  void every_action_takes_post_only_so_get_is_refused() {
    int actions = 0;
    for (Method method : SpotNestManagementLink.class.getDeclaredMethods()) {
      if (method.getName().startsWith("do")
          && Modifier.isPublic(method.getModifiers())
          && !method.getName().equals("doApi")) {
        actions++;
        assertTrue(method.isAnnotationPresent(POST.class), method.getName() + " must be @POST");
      }
    }
    assertEquals(2, actions);
  }

  /** Stapler answers an exception from a do-method with HTTP 500; an unknown document is 404. */
  @Test
  void an_unknown_endpoint_is_not_found_with_a_short_plain_message() throws Exception {
    granted.add(Jenkins.ADMINISTER);

    RecordedResponse answer = RecordedResponse.of(page.doApi("/api/nothing"), page);

    assertEquals(404, answer.status(), answer.toString());
    assertEquals("text/plain;charset=UTF-8", answer.contentType());
    assertEquals("No SpotNest document at /api/nothing\n", answer.text());
    assertEquals(404, RecordedResponse.of(page.doApi(null), page).status());
  }

  @Test
  void the_only_get_endpoint_reads_the_dashboard_json_and_checks_the_permission_first() {
    List<String> checked = new java.util.ArrayList<>();
    SpotNestManagementLink refusing =
        new SpotNestManagementLink(
            () -> orchestrator,
            permission -> {
              checked.add("checked");
              throw new SecurityException("not an administrator");
            });
    assertThrows(SecurityException.class, () -> refusing.doApi("/api/summary"));
    assertEquals(List.of("checked"), checked);
  }
}
