package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotnest.testbed.jenkins.JenkinsHttp;
import io.spotnest.testbed.jenkins.RealJenkins;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The built .hpi in a real Jenkins (the war named by SPOTNEST_JENKINS_WAR): the plugin loads and is
 * active, its cloud type is offered where clouds are created, and a cloud can be created over HTTP
 * and then shows in the cloud list. Runs in the package phase (execution hpi-test), where the only
 * reason it skips is an unset SPOTNEST_JENKINS_WAR, and then loudly (CI=true changes nothing).
 */
class RealJenkinsPluginTest {
  static final String WAR_VARIABLE = "SPOTNEST_JENKINS_WAR";
  static final String CLOUD_CLASS = "io.spotnest.jenkins.SpotNestCloud";
  static final String CLOUD_TYPE_NAME = "SpotNest (live-migrating spot VMs)";

  static RealJenkins jenkins;

  /** Why the tests are skipped (each one reports it), or null when they run. */
  static String skipped;

  @BeforeAll
  static void startJenkins() throws Exception {
    String war = System.getenv(WAR_VARIABLE);
    if (war == null || war.isBlank()) {
      skipped =
          "SKIPPED RealJenkinsPluginTest: " + WAR_VARIABLE + " is not set, so the plugin was NOT"
              + " tried in a real Jenkins. Set it to a jenkins.war (2.541.3) to run this test.";
      System.err.println("*".repeat(100) + "\n" + skipped + "\n" + "*".repeat(100));
      return;
    }
    String hpi = System.getProperty("spotnest.hpi");
    if (hpi == null) {
      // only when -Dtest pulls it into default-test: the same build runs it again once the .hpi exists
      skipped = "runs in the package phase (execution hpi-test), once the .hpi is built";
      return;
    }
    Path warFile = Path.of(war);
    assertTrue(Files.isRegularFile(warFile), WAR_VARIABLE + "=" + war + " is not a file");
    Path hpiFile = Path.of(hpi);
    assertTrue(Files.isRegularFile(hpiFile), hpiFile + " was not built");
    Path log = hpiFile.resolveSibling("real-jenkins.log");
    jenkins = RealJenkins.start(warFile, List.of(hpiFile), log, Duration.ofMinutes(4));
    System.err.printf(
        "RealJenkinsPluginTest: Jenkins from %s answered /login on %s after %d ms (log: %s)%n",
        warFile, jenkins.base(), jenkins.startup().toMillis(), log);
  }

  @BeforeEach
  void runsOnlyWithAWar() {
    assumeTrue(skipped == null, skipped);
  }

  @AfterAll
  static void stopJenkins() throws Exception {
    if (jenkins != null) {
      Path home = jenkins.home();
      jenkins.close();
      assertFalse(Files.exists(home), "JENKINS_HOME " + home + " was not deleted");
    }
  }

  @Test
  void pluginIsLoadedAndActive() throws Exception {
    JsonNode plugins = jenkins.login().json("pluginManager/api/json?depth=1").path("plugins");
    JsonNode spotnest = null;
    for (JsonNode plugin : plugins) {
      if ("spotnest".equals(plugin.path("shortName").asText())) {
        spotnest = plugin;
      }
    }
    assertNotNull(spotnest, "spotnest is not among the plugins: " + plugins + "\n" + failures());
    assertTrue(spotnest.path("active").asBoolean(), "spotnest is not active\n" + failures());
    assertTrue(spotnest.path("enabled").asBoolean(), "spotnest is not enabled");
    assertEquals(
        System.getProperty("spotnest.hpi.version"), spotnest.path("version").asText());
    assertEquals(
        System.getProperty("spotnest.hpi.jenkinsVersion"),
        spotnest.path("requiredCoreVersion").asText());
  }

  @Test
  void jenkinsLogHasNoPluginLoadFailure() throws Exception {
    String log = jenkins.log();
    assertTrue(log.contains("Jenkins is fully up and running"), "Jenkins did not finish starting");
    assertEquals("", failures(), "Jenkins logged a failure about the plugin");
  }

  @Test
  void cloudTypeIsOfferedWhereCloudsAreCreated() throws Exception {
    HttpResponse<String> page = jenkins.login().get("manage/cloud/new");
    assertEquals(200, page.statusCode());
    assertTrue(
        page.body().contains("value=\"" + CLOUD_CLASS + "\""),
        "no " + CLOUD_CLASS + " choice on /manage/cloud/new");
    assertTrue(page.body().contains(CLOUD_TYPE_NAME), "no '" + CLOUD_TYPE_NAME + "' label");
  }

  @Test
  void cloudCreatedOverHttpShowsInTheCloudList() throws Exception {
    JenkinsHttp http = jenkins.login();
    String name = "spotnest-http";
    HttpResponse<String> created =
        createCloud(http, name, Map.of("name", name, "maxAgents", "3", "jenkinsUrl", ""));
    assertEquals(302, created.statusCode(), "creating the cloud failed\n" + failures());

    HttpResponse<String> list = http.get("manage/cloud/");
    assertEquals(200, list.statusCode());
    assertTrue(
        list.body().contains("href=\"/manage/cloud/" + name + "/\""),
        "the cloud list does not show " + name);
    HttpResponse<String> configure = http.get("manage/cloud/" + name + "/configure");
    assertEquals(200, configure.statusCode());
    assertTrue(configure.body().contains("value=\"3\""), "maxAgents 3 was not kept");
    String config = Files.readString(jenkins.home().resolve("config.xml"));
    assertTrue(config.contains("<" + CLOUD_CLASS + " "), "config.xml has no SpotNest cloud");
    assertTrue(config.contains("<name>" + name + "</name>"), "config.xml lacks the cloud's name");
  }

  @Test
  void cloudWithAnAgentTemplateIsBoundFromTheForm() throws Exception {
    JenkinsHttp http = jenkins.login();
    String name = "spotnest-template";
    Map<String, Object> template =
        Map.of(
            "labels", "nested-linux",
            "vcpus", "2",
            "memoryMb", "3072",
            "diskGb", "25",
            "marketPolicy", "SPOT_ONLY",
            "standingCopy", true,
            "maxAgents", "2",
            "idleMinutes", "15",
            "remoteFs", "/home/jenkins/agent",
            "initScript", "");
    HttpResponse<String> created =
        createCloud(
            http,
            name,
            Map.of(
                "name", name, "maxAgents", "4", "jenkinsUrl", "", "templates", List.of(template)));
    assertEquals(302, created.statusCode(), "creating the cloud failed\n" + failures());

    String config = Files.readString(jenkins.home().resolve("config.xml"));
    for (String element :
        List.of(
            "<labels>nested-linux</labels>",
            "<memoryMb>3072</memoryMb>",
            "<diskGb>25</diskGb>",
            "<marketPolicy>SPOT_ONLY</marketPolicy>",
            "<standingCopy>true</standingCopy>",
            "<idleMinutes>15</idleMinutes>")) {
      assertTrue(config.contains(element), "config.xml lacks " + element + ":\n" + config);
    }
    HttpResponse<String> configure = http.get("manage/cloud/" + name + "/configure");
    assertEquals(200, configure.statusCode(), "the cloud's page failed\n" + failures());
    assertTrue(configure.body().contains("value=\"nested-linux\""), "the template is not shown");
  }

  @Test
  void creatingACloudNeedsACrumb() throws Exception {
    HttpResponse<String> refused =
        jenkins
            .login()
            .post(
                "manage/cloud/doCreate",
                Map.of(
                    "cloudDescriptorName", CLOUD_CLASS,
                    "json", JenkinsHttp.json(Map.of("name", "no-crumb"))),
                null);
    assertEquals(403, refused.statusCode());
    String config = Files.readString(jenkins.home().resolve("config.xml"));
    assertFalse(config.contains("<name>no-crumb</name>"), "a cloud was created without a crumb");
  }

  @Test
  void noInboundTcpAgentPortIsOpen() throws Exception {
    // agents connect over WebSocket on the HTTP port; Jenkins' TCP agent listener stays off
    assertEquals(404, jenkins.login().get("tcpSlaveAgentListener/").statusCode());
  }

  @Test
  void anonymousUsersGetNothing() throws Exception {
    assertEquals(403, jenkins.anonymous().get("manage/cloud/new").statusCode());
    assertEquals(403, jenkins.anonymous().get("pluginManager/api/json").statusCode());
  }

  /**
   * The two steps of "New cloud": name and type (Jenkins answers with the SpotNest form, checked
   * here), then the filled-in form as Jenkins' JSON form submission.
   */
  private static HttpResponse<String> createCloud(
      JenkinsHttp http, String name, Map<String, Object> fields) throws Exception {
    JenkinsHttp.Crumb crumb = http.crumb();
    HttpResponse<String> form =
        http.post(
            "manage/cloud/create",
            Map.of(
                "name", name,
                "mode", CLOUD_CLASS,
                "json", JenkinsHttp.json(Map.of("name", name, "mode", CLOUD_CLASS))),
            crumb);
    assertEquals(200, form.statusCode(), "step 1 of New cloud failed\n" + failures());
    for (String field : List.of("_.name", "_.maxAgents", "_.jenkinsUrl")) {
      assertTrue(form.body().contains("name=\"" + field + "\""), "the form has no " + field);
    }
    assertTrue(form.body().contains("Add agent template"), "the form has no template list");
    Map<String, Object> submitted = new HashMap<>(fields);
    submitted.put("cloudDescriptorName", CLOUD_CLASS);
    return http.post(
        "manage/cloud/doCreate",
        Map.of("cloudDescriptorName", CLOUD_CLASS, "json", JenkinsHttp.json(submitted)),
        crumb);
  }

  /** The Jenkins log's failure entries (a line and the 5 after it) that name the plugin, or "". */
  private static String failures() throws Exception {
    StringBuilder found = new StringBuilder();
    List<String> lines = jenkins.log().lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.contains("SEVERE") && !line.contains("Failed Loading plugin")) {
        continue;
      }
      String entry = String.join("\n", lines.subList(i, Math.min(i + 6, lines.size())));
      if (entry.toLowerCase(Locale.ROOT).contains("spotnest")) {
        found.append(entry).append('\n');
      }
    }
    return found.toString();
  }
}
