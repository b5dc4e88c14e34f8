package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotnest.testbed.SshKeys;
import io.spotnest.testbed.browser.HeadlessChromium;
import io.spotnest.testbed.jenkins.JenkinsHttp;
import io.spotnest.testbed.jenkins.RealJenkins;
import io.spotnest.testbed.jenkins.SpotNestCloudForm;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
  static final String CLOUD_CLASS = SpotNestCloudForm.CLOUD_CLASS;
  static final String CLOUD_TYPE_NAME = "SpotNest (live-migrating spot VMs)";

  /** The page Manage Jenkins links to for SpotNest. */
  static final String ADMIN_PAGE = "manage/spotnest/";

  /** The cloud made first, which the orchestrator inside Jenkins runs on. */
  static final String FLEET_CLOUD = "spotnest";

  static final Map<String, Object> LARGE_TEMPLATE =
      Map.of(
          "labels", "spotnest-large",
          "vcpus", "8",
          "memoryMb", "16384",
          "diskGb", "80",
          "marketPolicy", "PREFER_SPOT",
          "standingCopyWish", "NEVER",
          "maxAgents", "10",
          "idleMinutes", "10",
          "remoteFs", "/home/jenkins/agent",
          "initScript", "");

  /**
   * One static host on a loopback port nothing listens on: the orchestrator attaches hosts only
   * when an agent needs one, and this test asks for no agent, so it is never contacted.
   */
  static final String STATIC_HOST =
      "spot-a jenkins@127.0.0.1:1 pool=m5.large@lab-a key=spotnest-key known_hosts=known_hosts";

  static RealJenkins jenkins;

  /** Why the tests are skipped (each one reports it), or null when they run. */
  static String skipped;

  @BeforeAll
  static void startJenkins() throws Exception {
    String war = System.getenv(WAR_VARIABLE);
    if (war == null || war.isBlank()) {
      skipped =
          "SKIPPED RealJenkinsPluginTest: "
              + WAR_VARIABLE
              + " is not set, so the plugin was NOT"
              + " tried in a real Jenkins. Set it to a jenkins.war (2.541.3) to run this test.";
      System.err.println("*".repeat(100) + "\n" + skipped + "\n" + "*".repeat(100));
      return;
    }
    String hpi = System.getProperty("spotnest.hpi");
    if (hpi == null) {
      // only when -Dtest pulls it into default-test: the same build runs it again once the .hpi
      // exists
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
    // the first SpotNest cloud is the one the orchestrator inside Jenkins runs on: made first
    prepareStaticHostFiles(jenkins.home().resolve("spotnest").resolve("ssh"));
    HttpResponse<String> created =
        createCloud(
            jenkins.login(),
            FLEET_CLOUD,
            Map.of(
                "name",
                FLEET_CLOUD,
                "maxAgents",
                "20",
                "jenkinsUrl",
                "",
                "staticHosts",
                STATIC_HOST,
                "templates",
                List.of(LARGE_TEMPLATE)));
    assertEquals(302, created.statusCode(), "creating " + FLEET_CLOUD + " failed\n" + failures());
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
    assertEquals(System.getProperty("spotnest.hpi.version"), spotnest.path("version").asText());
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
            "standingCopyWish", "ALWAYS",
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
            "<standingCopyWish>ALWAYS</standingCopyWish>",
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
        SpotNestCloudForm.submit(jenkins.login(), Map.of("name", "no-crumb"), null);
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

  @Test
  void administratorSeesTheAdminPageWithItsSections() throws Exception {
    JenkinsHttp admin = jenkins.login();
    HttpResponse<String> manage = admin.get("manage/");
    assertEquals(200, manage.statusCode());
    assertTrue(manage.body().contains("href=\"spotnest\""), "Manage Jenkins has no SpotNest link");

    HttpResponse<String> page = admin.get(ADMIN_PAGE);
    assertEquals(200, page.statusCode(), "the admin page failed\n" + failures());
    for (String section :
        List.of(
            "<h2>Hosts</h2>",
            "Reclaim risk",
            "<h2>Agents</h2>",
            "<h2>Migrations and savings</h2>")) {
      assertTrue(page.body().contains(section), "the admin page has no " + section);
    }
    assertTrue(page.body().contains("SpotNestManagementLink/dashboard.js"), "no dashboard script");
  }

  @Test
  void adminPageJsonEndpointsAnswerFromTheOrchestratorInJenkins() throws Exception {
    JenkinsHttp admin = jenkins.login();
    for (String endpoint :
        List.of("/api/hosts", "/api/agents", "/api/risk", "/api/migrations", "/api/savings")) {
      HttpResponse<String> answer = admin.get(ADMIN_PAGE + "api?endpoint=" + endpoint);
      assertEquals(200, answer.statusCode(), endpoint + " failed\n" + failures());
      assertTrue(
          answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
          endpoint + " is not JSON");
    }
    JsonNode summary = admin.json(ADMIN_PAGE + "api?endpoint=/api/summary");
    for (String field : List.of("hosts", "agents", "migrations", "maxPauseMs", "savingPct")) {
      assertTrue(summary.has(field), "/api/summary has no " + field + ": " + summary);
    }
    HttpResponse<String> unknown = admin.get(ADMIN_PAGE + "api?endpoint=/api/nothing");
    assertEquals(404, unknown.statusCode(), unknown.body());
    assertEquals("No SpotNest document at /api/nothing\n", unknown.body());
  }

  @Test
  void userWithoutAdministerIsRefusedTheAdminPage() throws Exception {
    JenkinsHttp viewer = jenkins.loginAsViewer();
    assertEquals(200, viewer.get("api/json").statusCode(), "the viewer cannot even read Jenkins");
    assertEquals(403, viewer.get(ADMIN_PAGE).statusCode());
    assertEquals(403, viewer.get("spotnest/").statusCode());
    assertEquals(403, viewer.get(ADMIN_PAGE + "api?endpoint=/api/summary").statusCode());
    JenkinsHttp.Crumb crumb = viewer.crumb();
    assertEquals(
        403, viewer.post(ADMIN_PAGE + "drainHost", Map.of("host", "spot-a"), crumb).statusCode());
    assertEquals(
        403,
        viewer.post(ADMIN_PAGE + "migrateNow", Map.of("agent", "spotnest-1"), crumb).statusCode());
  }

  @Test
  void anonymousUsersAreRefusedTheAdminPage() throws Exception {
    assertEquals(403, jenkins.anonymous().get(ADMIN_PAGE).statusCode());
    assertEquals(
        403, jenkins.anonymous().get(ADMIN_PAGE + "api?endpoint=/api/summary").statusCode());
  }

  @Test
  void adminActionsTakeOnlyPostsWithACrumb() throws Exception {
    JenkinsHttp admin = jenkins.login();
    for (Map.Entry<String, String> action :
        Map.of("drainHost", "host", "migrateNow", "agent").entrySet()) {
      String path = ADMIN_PAGE + action.getKey();
      Map<String, String> form = Map.of(action.getValue(), "no-such-" + action.getValue());
      // Stapler routes a @POST action only for POST: a GET finds nothing there
      assertEquals(
          404,
          admin.get(path + "?" + action.getValue() + "=x").statusCode(),
          "GET " + path + " was not refused");
      assertEquals(
          403, admin.post(path, form, null).statusCode(), "POST " + path + " without a crumb");
      HttpResponse<String> reached = admin.post(path, form, admin.crumb());
      assertEquals(200, reached.statusCode(), "POST " + path + " with a crumb\n" + failures());
      assertTrue(
          reached.body().contains(action.getValue() + ": "),
          "POST "
              + path
              + " did not answer with a message naming "
              + action.getValue()
              + ": "
              + reached.body());
    }
  }

  @Test
  void noDelayStrategyRunsBeforeJenkinsDefaultAndTheQueueListenerIsRegistered() throws Exception {
    String out =
        script(
            "def j = jenkins.model.Jenkins.get()\n"
                + "println('strategies=' + j.getExtensionList(hudson.slaves.NodeProvisioner.Strategy)"
                + ".collect { it.class.name }.join(','))\n"
                + "println('listener=' + j.getExtensionList(hudson.model.queue.QueueListener)"
                + ".any { it.class.name == 'io.spotnest.jenkins.SpotNestQueueListener' })");
    assertTrue(
        out.contains(
            "strategies=io.spotnest.jenkins.SpotNestProvisionStrategy,"
                + "hudson.slaves.NodeProvisioner$StandardStrategyImpl"),
        "SpotNest's strategy is not consulted first: " + out + "\n" + failures());
    assertTrue(out.contains("listener=true"), "no SpotNestQueueListener: " + out);
  }

  /**
   * A build for the fleet cloud's label gets its agent planned within seconds of being queued, by
   * SpotNest's strategy (its log line says so), not at Jenkins' first provisioning round (100 s
   * after start). The agent and the job are removed again; its VM is never placed (the test's one
   * static host listens nowhere).
   */
  @Test
  void aBuildForASpotNestLabelGetsItsAgentPlannedAtOnce() throws Exception {
    String label = (String) LARGE_TEMPLATE.get("labels");
    long queued = System.nanoTime();
    String out =
        script(
            "def j = jenkins.model.Jenkins.get()\n"
                + "def p = j.createProject(hudson.model.FreeStyleProject, 'nodelay-probe')\n"
                + "p.setAssignedLabel(j.getLabel('"
                + label
                + "'))\n"
                + "p.scheduleBuild2(0)\n"
                + "println('uptime=' + (System.currentTimeMillis()"
                + " - java.lang.management.ManagementFactory.runtimeMXBean.startTime))");
    assertTrue(out.contains("uptime="), "the job was not queued: " + out + "\n" + failures());
    Set<String> agents = spotNestAgents(Duration.ofSeconds(30));
    double seconds = (System.nanoTime() - queued) / 1e9;
    // two more provisioning rounds for the label: the agent's VM never comes online here (the host
    // listens nowhere), and it must still count as capacity on its way, so no second agent
    for (int round = 0; round < 2; round++) {
      script(
          "jenkins.model.Jenkins.get().getLabel('"
              + label
              + "').nodeProvisioner.suggestReviewNow()");
      Thread.sleep(2000);
    }
    agents.addAll(spotNestAgents(Duration.ZERO));
    String cleaned =
        script(
            "def j = jenkins.model.Jenkins.get()\n"
                + "j.queue.items.each { j.queue.cancel(it) }\n"
                + "j.getItem('nodelay-probe')?.delete()\n"
                + "j.nodes.findAll { it.nodeName.startsWith('"
                + FLEET_CLOUD
                + "-') }.each { it.terminate() }\n"
                + "println('cleaned')");
    System.err.printf(
        "RealJenkinsPluginTest: agent(s) %s, the first %.1f s after the build was queued (%s)%n",
        agents, seconds, out.strip());
    assertFalse(agents.isEmpty(), "no agent 30 s after the build was queued\n" + failures());
    assertTrue(seconds < 10, "the agent came " + seconds + " s after the build was queued");
    assertEquals(1, agents.size(), "one build got more than one agent: " + agents);
    assertTrue(
        jenkins.log().contains("planned at once for label " + label),
        "the agent was not planned by SpotNest's strategy");
    assertTrue(cleaned.contains("cleaned"), cleaned);
  }

  /** The agents of the fleet cloud, waiting up to {@code patience} for a first one. */
  private static Set<String> spotNestAgents(Duration patience) throws Exception {
    Set<String> agents = new TreeSet<>();
    long deadline = System.nanoTime() + patience.toNanos();
    do {
      for (JsonNode computer : jenkins.login().json("computer/api/json").path("computer")) {
        String name = computer.path("displayName").asText();
        if (name.startsWith(FLEET_CLOUD + "-")) {
          agents.add(name);
        }
      }
      if (agents.isEmpty()) {
        Thread.sleep(250);
      }
    } while (agents.isEmpty() && System.nanoTime() < deadline);
    return agents;
  }

  /** Runs a Groovy script in Jenkins' script console (administrators, with a crumb). */
  private static String script(String groovy) throws Exception {
    JenkinsHttp admin = jenkins.login();
    HttpResponse<String> answer = admin.post("scriptText", Map.of("script", groovy), admin.crumb());
    assertEquals(200, answer.statusCode(), "the script console failed: " + answer.body());
    return answer.body();
  }

  /**
   * Screenshots for docs/jenkins.md, by headless Chromium signed in as the admin (the session
   * cookie of a form login): the SpotNest cloud's page with its template, and the admin page. They
   * are written to target/screenshots/.
   */
  @Test
  void screenshotsOfTheCloudAndAdminPages() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "screenshots"));
    try (HeadlessChromium browser =
        HeadlessChromium.start("no screenshots of the real Jenkins were taken")) {
      JenkinsHttp.Cookie session = jenkins.browserSession();
      browser.setCookie(jenkins.base(), session.name(), session.value());

      browser.open(jenkins.base().resolve("manage/cloud/" + FLEET_CLOUD + "/configure"), 1280, 500);
      // the image drop-down is filled from the orchestrator after the page has loaded
      String image = "document.querySelector('select[name=\"_.image\"]')";
      browser.await(
          image + ".options.length > 0 && !" + image + ".classList.contains('select-ajax-pending')",
          30_000);
      Thread.sleep(500);
      String cloudPage = browser.text();
      assertTrue(
          cloudPage.contains(RealJenkins.USER), "the browser is not signed in:\n" + cloudPage);
      assertTrue(cloudPage.contains("Add agent template"), "no template list:\n" + cloudPage);
      Path cloud = dir.resolve("jenkins-cloud.png");
      Files.write(cloud, browser.screenshot(2600));

      browser.open(jenkins.base().resolve(ADMIN_PAGE), 1280, 500);
      browser.await(
          "document.getElementById('spotnest-summary').textContent.includes('saved')", 30_000);
      String adminPage = browser.text();
      for (String shown : List.of("Hosts", "Agents", "Migrations and savings", "% saved")) {
        assertTrue(
            adminPage.contains(shown), "the admin page shows no " + shown + ":\n" + adminPage);
      }
      Path admin = dir.resolve("jenkins-admin.png");
      Files.write(admin, browser.screenshot(1600));

      for (Path png : List.of(cloud, admin)) {
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 10_000, png + " is only " + bytes.length + " bytes");
        System.err.println("RealJenkinsPluginTest: screenshot " + png.toAbsolutePath());
      }
    }
  }

  /**
   * The two steps of "New cloud": name and type (Jenkins answers with the SpotNest form, checked
   * here), then the filled-in form as Jenkins' JSON form submission.
   */
  private static HttpResponse<String> createCloud(
      JenkinsHttp http, String name, Map<String, Object> fields) throws Exception {
    JenkinsHttp.Crumb crumb = http.crumb();
    HttpResponse<String> form = SpotNestCloudForm.open(http, name, crumb);
    assertEquals(200, form.statusCode(), "step 1 of New cloud failed\n" + failures());
    for (String field : List.of("_.name", "_.maxAgents", "_.jenkinsUrl")) {
      assertTrue(form.body().contains("name=\"" + field + "\""), "the form has no " + field);
    }
    assertTrue(form.body().contains("Add agent template"), "the form has no template list");
    return SpotNestCloudForm.submit(http, fields, crumb);
  }

  /** A throw-away key (mode 600) and an empty known_hosts for {@link #STATIC_HOST}. */
  private static void prepareStaticHostFiles(Path dir) throws Exception {
    Files.createDirectories(dir);
    SshKeys.generate(dir.resolve("spotnest-key"), "spotnest-key");
    Files.writeString(dir.resolve("known_hosts"), "");
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
