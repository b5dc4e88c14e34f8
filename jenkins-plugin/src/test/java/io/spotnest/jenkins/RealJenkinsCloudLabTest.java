package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotnest.testbed.LabHostServices;
import io.spotnest.testbed.LabNames;
import io.spotnest.testbed.LabPrerequisites;
import io.spotnest.testbed.LinkShape;
import io.spotnest.testbed.RepoRoot;
import io.spotnest.testbed.Shell;
import io.spotnest.testbed.Testbed;
import io.spotnest.testbed.TestbedHost;
import io.spotnest.testbed.TestbedSpec;
import io.spotnest.testbed.browser.HeadlessChromium;
import io.spotnest.testbed.jenkins.JenkinsHttp;
import io.spotnest.testbed.jenkins.JenkinsTooling;
import io.spotnest.testbed.jenkins.MarketFeedFile;
import io.spotnest.testbed.jenkins.MarketFeedFile.Notice;
import io.spotnest.testbed.jenkins.RealJenkins;
import io.spotnest.testbed.jenkins.SpotNestCloudForm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The plugin itself in a real Jenkins (the war named by SPOTNEST_JENKINS_WAR) over the lab's hosts:
 * Jenkins listens on the controller's lab address with the built .hpi installed; each of three lab
 * hosts runs its own libvirtd and an sshd; the overlay gateway serves the agents DHCP. The SpotNest
 * cloud is created through Jenkins' own form endpoint with a crumb, naming the hosts as static SSH
 * hosts (key and known_hosts under $JENKINS_HOME/spotnest/ssh, peers over TLS), the agent image's
 * directory, the agents' bridge and a market feed file that makes host 1 someone else's spot
 * capacity (hosts 2 and 3 are on-demand). The template's agents have {@value #AGENT_MIB} MB: at the
 * dirty rate the plugin assumes for a build, such an agent needs longer to leave on the cloud's 1
 * Gbit/s link than a two-minute notice gives, so a notice is no insurance and rising risk alone
 * must move it (RisingRiskMoveTest shows the same decision without the lab).
 *
 * <ol>
 *   <li>A freestyle job restricted to the template's label is queued; the plugin provisions an
 *       agent VM of the real agent image ({@code ./spotnest image build}) on the calm spot host,
 *       the agent connects over WebSocket and the build ends SUCCESS.
 *   <li>A longer build runs on that agent; mid-build the feed shows the spot pool's risk rising
 *       (price at on-demand, bucket 4, a burst of reclamations) and no notice: the risk loop inside
 *       Jenkins takes it in (the admin page shows the host's risk past the spot cap) and the policy
 *       live-migrates the agent early to an on-demand host; the build log says from where to where,
 *       because of the risk (not a notice), how long and how long the build paused, and the admin
 *       page's migrations (the journal's moves) give the policy's reason.
 *   <li>The feed then gives the new host a sudden notice: the emergency path moves the agent again;
 *       the build ends SUCCESS with every counter line in order and both moves told once.
 * </ol>
 *
 * Nothing is mocked. Runs in the package phase with the other real-Jenkins test; skipped, loudly,
 * when SPOTNEST_JENKINS_WAR is unset (also under CI=true).
 */
@Tag("lab")
class RealJenkinsCloudLabTest {
  static final String WAR_VARIABLE = "SPOTNEST_JENKINS_WAR";
  static final String CLOUD = "spotnest";
  static final String LABEL = "spotnest-vm";
  static final String JOB = "count-on-a-spotnest-agent";
  static final String KEY = "spotnest-key";
  static final String IMAGE = "spotnest-agent";
  static final long HOST_MEMORY_MIB = 5120;
  static final int STEPS = 20;

  /**
   * The template's agent memory: at the plugin's assumed 50 MiB/s dirty rate on 1 Gbit/s such an
   * agent needs about 132 s (with the policy's margin) to leave, more than a notice gives. The
   * guest touches little of it, so the lab's hosts hold it.
   */
  static final int AGENT_MIB = 4608;

  static final String SCRIPT = JenkinsTooling.counterScript(STEPS);

  /** The build that moves: long enough for a risk move and a notice move on TCG guests. */
  static final String MOVE_JOB = "count-across-two-moves";

  static final int MOVE_STEPS = 240;

  /** How long before its deadline the new host's notice comes. */
  static final long NOTICE_S = 240;

  static final String FEED = "market-feed.json";

  /** The spot risk cap of the plugin's fleet (FleetAssembly.MAX_SPOT_RISK). */
  static final double SPOT_RISK_CAP = 0.2;

  /** The admin page's JSON documents. */
  static final String ADMIN_API = "manage/spotnest/api?endpoint=";

  /** The build log's move message (BuildLogMessages.migrated). */
  static final Pattern MOVED =
      Pattern.compile(
          "Agent (\\S+) was live-migrated from host (\\S+) to host (\\S+) because (.+?)\\. The"
              + " move took ([0-9.]+) s and paused this build for (\\d+) ms");

  private Testbed tb;
  private RealJenkins jenkins;
  private LabHostServices services;
  private Path scratch;
  private String spotPool;
  private MarketFeedFile feed;

  @AfterEach
  void stop() throws Exception {
    try {
      if (jenkins != null) {
        jenkins.close();
      }
    } finally {
      try {
        if (services != null) {
          services.close();
        }
      } finally {
        if (tb != null) {
          tb.close();
        }
        deleteTree(scratch);
      }
    }
  }

  @Test
  @Timeout(value = 45, unit = TimeUnit.MINUTES)
  void theCloudStartsAnAgentVmOnALabHostAndTheBuildRunsThere() throws Exception {
    Path war = warOrSkip();
    Path hpi = hpiOrSkip();
    LabPrerequisites.require();
    Path image = agentImage();
    long t0 = System.nanoTime();
    tb =
        Testbed.start(
            new TestbedSpec(
                    3, HOST_MEMORY_MIB, LinkShape.UNSHAPED, Path.of("/var/tmp/spotnest-test"))
                .withRoutedSubnets());
    LabNames names = tb.names();
    scratch = Files.createTempDirectory("spotnest-cloud-lab");
    services = new LabHostServices(Files.createDirectories(scratch.resolve("services")));

    // the agents' DHCP on the overlay (the image asks for sn.ip=dhcp), served by the gateway
    services.agentDhcp(names);

    // the images directory every host sees at the same path (the hosts share the root file system)
    Path images = Files.createDirectories(scratch.resolve("images"));
    Files.createSymbolicLink(images.resolve(IMAGE), image);

    // Jenkins on the controller's lab address: the guests reach it through the router
    InetAddress controller = requireControllerOnLabLink();
    Path jenkinsLog = hpi.resolveSibling("real-jenkins-cloud.log");
    jenkins = RealJenkins.start(war, List.of(hpi), jenkinsLog, Duration.ofMinutes(4), controller);
    report(
        "Jenkins on %s after %.1f s (log %s)", jenkins.base(), secs(jenkins.startup()), jenkinsLog);

    // sshd on every host; the controller's key and known_hosts where the cloud's field names them
    Path sshDir = jenkins.home().resolve("spotnest").resolve("ssh");
    services.clientKey(sshDir, KEY);
    // host 1 is someone else's spot capacity (its pool is in the market feed), hosts 2 and 3
    // on-demand; peers migrate to a host over TLS with the lab's certificates
    spotPool = "lab.vm@spot" + names.index();
    String onDemandPool = "lab.vm@od" + names.index();
    String staticHosts =
        SpotNestCloudForm.labStaticHosts(tb, services, sshDir, KEY, spotPool, onDemandPool);
    feed = new MarketFeedFile(jenkins.home().resolve("spotnest").resolve(FEED), spotPool);
    feed.writeCalm();

    JenkinsHttp http = jenkins.login();
    Map<String, Object> cloud =
        SpotNestCloudForm.labCloud(
            CLOUD,
            LABEL,
            IMAGE,
            jenkins.base().toString(),
            staticHosts,
            HOST_MEMORY_MIB,
            images,
            FEED);
    @SuppressWarnings("unchecked")
    Map<String, Object> template = ((List<Map<String, Object>>) cloud.get("templates")).get(0);
    template.put("memoryMb", String.valueOf(AGENT_MIB));
    HttpResponse<String> created = SpotNestCloudForm.create(http, cloud);
    assertEquals(302, created.statusCode(), "creating the cloud failed:\n" + tail(jenkins.log()));

    JenkinsTooling admin = new JenkinsTooling(http);
    admin.createFreestyleJob(JOB, LABEL, SCRIPT);
    long queued = System.nanoTime();
    String item = admin.build(JOB);
    String agent = awaitAgentOnline(http, Duration.ofMinutes(12));
    long online = System.nanoTime();
    report("agent %s online %.1f s after the build was queued", agent, (online - queued) / 1e9);
    int build = admin.awaitBuildNumber(item, Duration.ofMinutes(2));
    JsonNode done = admin.awaitBuildEnd(JOB, build, Duration.ofMinutes(6));
    String console = admin.consoleText(JOB, build);
    assertEquals("SUCCESS", done.path("result").asText(), console + diagnostics(agent));
    assertEquals(agent, done.path("builtOn").asText(), "the build ran on the SpotNest agent");
    assertTrue(console.contains("COUNTER " + STEPS + "\n"), console);
    assertTrue(console.contains("WORKSPACE-OK files=" + STEPS), console);
    String firstHost = hostOf(http, agent);
    assertFalse(
        jenkins.log().contains("SEVERE"), "Jenkins logged a SEVERE entry:\n" + tail(jenkins.log()));
    report(
        "build #%d %s on %s in %.1f s; queued to online %.1f s; queued to end %.1f s; whole test"
            + " so far %.1f s",
        build,
        done.path("result").asText(),
        agent,
        done.path("duration").asLong() / 1000.0,
        (online - queued) / 1e9,
        (System.nanoTime() - queued) / 1e9,
        (System.nanoTime() - t0) / 1e9);

    // stage 2: a longer build on the same agent; mid-build the market feed shows the spot pool's
    // risk rising, with no notice: the risk loop in Jenkins takes it in (the admin page shows the
    // host's risk past the spot cap) and, the agent being too big to leave within a notice, the
    // policy moves it early to an on-demand host
    assertEquals(tb.host(1).name(), firstHost, "a PREFER_SPOT agent starts on the calm spot host");
    admin.createFreestyleJob(MOVE_JOB, LABEL, JenkinsTooling.counterScript(MOVE_STEPS));
    int moving = admin.awaitBuildNumber(admin.build(MOVE_JOB), Duration.ofMinutes(2));
    assertEquals(agent, admin.build(MOVE_JOB, moving).path("builtOn").asText());
    admin.awaitCounter(MOVE_JOB, moving, 5, Duration.ofMinutes(3));
    double calm = hostRisk(http, firstHost);
    assertTrue(calm <= SPOT_RISK_CAP, "the calm pool's risk " + calm);
    assertEquals(0, count(admin.consoleText(MOVE_JOB, moving), "was live-migrated"));
    long risen = System.nanoTime();
    feed.writeRising(List.of());
    double high = awaitRiskAbove(http, firstHost, SPOT_RISK_CAP, Duration.ofSeconds(90));
    report(
        "risk of %s (%s) rose from %.3f to %.3f in %.1f s after the feed changed",
        firstHost, spotPool, calm, high, (System.nanoTime() - risen) / 1e9);
    Matcher first = awaitMove(admin, moving, 1, Duration.ofSeconds(NOTICE_S));
    report(
        "no notice; %.1f s after the feed's risk rose the build log says: %s",
        (System.nanoTime() - risen) / 1e9, first.group());
    assertEquals(firstHost, first.group(2), "moved off the spot host");
    assertTrue(
        first.group(4).startsWith("its reclaim risk ") && !first.group(4).contains("notice"),
        "a move for the risk, not a notice: " + first.group());
    assertTrue(
        Double.parseDouble(first.group(4).replaceAll("^its reclaim risk ([0-9.]+) .*$", "$1"))
            > SPOT_RISK_CAP,
        "the risk told is past the cap: " + first.group());
    String secondHost = first.group(3);
    assertFalse(secondHost.equals(tb.host(1).name()), "moved to an on-demand host");
    assertEquals(secondHost, hostOf(http, agent), "the admin page shows the agent's new host");
    String why = moveReason(http, agent, firstHost);
    report("the journal's reason for the move off %s: %s", firstHost, why);
    assertTrue(
        why.startsWith("expected loss") && !why.contains("notice"),
        "the journal records the policy's risk decision: " + why);

    // stage 3: a sudden notice for the new host: the emergency path moves the agent again
    long noticed = System.nanoTime();
    feed.writeRising(List.of(new Notice(secondHost, Instant.now().plusSeconds(NOTICE_S))));
    Matcher second = awaitMove(admin, moving, 2, Duration.ofSeconds(NOTICE_S + 60));
    report(
        "notice for %s; %.1f s later the build log says: %s",
        secondHost, (System.nanoTime() - noticed) / 1e9, second.group());
    assertEquals(secondHost, second.group(2), "moved off the noticed host");
    assertTrue(second.group(4).contains("notice"), "a move for the notice: " + second.group());

    JsonNode end = admin.awaitBuildEnd(MOVE_JOB, moving, Duration.ofSeconds(MOVE_STEPS * 3L));
    String moveConsole = admin.consoleText(MOVE_JOB, moving);
    assertEquals("SUCCESS", end.path("result").asText(), moveConsole + diagnostics(agent));
    assertCountersInOrder(moveConsole, MOVE_STEPS);
    assertTrue(moveConsole.contains("WORKSPACE-OK files=" + MOVE_STEPS), moveConsole);
    assertEquals(
        2, count(moveConsole, "was live-migrated"), "two moves told, once each:\n" + moveConsole);
    assertFalse(
        jenkins.log().contains("SEVERE"), "Jenkins logged a SEVERE entry:\n" + tail(jenkins.log()));
    screenshotOfTheConsole(MOVE_JOB, moving);
    report(
        "build #%d of %s %s in %.1f s across two live migrations (%s -> %s -> %s): risk move took"
            + " %s s, paused %s ms; notice move took %s s, paused %s ms; whole test %.1f s",
        moving,
        MOVE_JOB,
        end.path("result").asText(),
        end.path("duration").asLong() / 1000.0,
        first.group(2),
        first.group(3),
        second.group(3),
        first.group(5),
        first.group(6),
        second.group(5),
        second.group(6),
        (System.nanoTime() - t0) / 1e9);
  }

  /**
   * For docs/jenkins.md: the build's console page with both migration lines, by headless Chromium
   * signed in as the admin, opened on the controller's lab address (checked with {@code ip route
   * get} before Jenkins started); written to target/screenshots/jenkins-build-log.png.
   */
  private void screenshotOfTheConsole(String job, int build) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "screenshots"));
    InetAddress controller = InetAddress.getByName(jenkins.base().getHost());
    try (HeadlessChromium browser =
        HeadlessChromium.start("no screenshot of the build log was taken", List.of(controller))) {
      JenkinsHttp.Cookie session = jenkins.browserSession();
      browser.setCookie(jenkins.base(), session.name(), session.value());
      browser.open(jenkins.base().resolve("job/" + job + "/" + build + "/console"), 1280, 1500);
      String page = browser.text();
      assertTrue(page.contains("was live-migrated"), "the console page shows no move:\n" + page);
      Path png = dir.resolve("jenkins-build-log.png");
      Files.write(png, browser.screenshot(3000));
      assertTrue(Files.size(png) > 10_000, png + " is only " + Files.size(png) + " bytes");
      report("screenshot %s", png.toAbsolutePath());

      // the admin page after both moves: its hosts, the agent and the two migrations
      browser.open(jenkins.base().resolve(RealJenkinsPluginTest.ADMIN_PAGE), 1280, 900);
      browser.await(
          "document.getElementById('spotnest-summary').textContent.includes('saved')", 30_000);
      Thread.sleep(1000);
      String admin = browser.text();
      for (String host : List.of("hosta", "hostb", "hostc")) {
        assertTrue(admin.contains(host), "the admin page shows no " + host + ":\n" + admin);
      }
      Path adminPng = dir.resolve("jenkins-admin-moves.png");
      Files.write(adminPng, browser.screenshot(2400));
      assertTrue(
          Files.size(adminPng) > 10_000, adminPng + " is only " + Files.size(adminPng) + " bytes");
      report("screenshot %s", adminPng.toAbsolutePath());
    }
  }

  /** The host the orchestrator inside Jenkins says the agent's VM runs on (its admin page). */
  private static String hostOf(JenkinsHttp http, String agent) throws Exception {
    JsonNode agents = http.json(ADMIN_API + "/api/agents");
    for (JsonNode a : agents.isArray() ? agents : agents.path("agents")) {
      if (agent.equals(a.path("id").asText())) {
        String host = a.path("host").asText();
        assertFalse(host.isEmpty(), "the admin page has no host for " + agent + ": " + agents);
        return host;
      }
    }
    throw new AssertionError("the admin page does not list " + agent + ": " + agents);
  }

  /**
   * The reason the admin page (the journal's moves) gives for the agent's move off {@code from}.
   */
  private static String moveReason(JenkinsHttp http, String agent, String from) throws Exception {
    JsonNode moves = http.json(ADMIN_API + "/api/migrations");
    for (JsonNode m : moves.isArray() ? moves : moves.path("migrations")) {
      if (agent.equals(m.path("agent").asText()) && from.equals(m.path("from").asText())) {
        return m.path("reason").asText();
      }
    }
    throw new AssertionError(
        "the admin page lists no move of " + agent + " off " + from + ": " + moves);
  }

  /** A host's reclamation risk as the admin page shows it. */
  private static double hostRisk(JenkinsHttp http, String host) throws Exception {
    JsonNode hosts = http.json(ADMIN_API + "/api/hosts");
    for (JsonNode h : hosts.isArray() ? hosts : hosts.path("hosts")) {
      if (host.equals(h.path("id").asText())) {
        return h.path("risk").asDouble();
      }
    }
    throw new AssertionError("the admin page does not list host " + host + ": " + hosts);
  }

  private static double awaitRiskAbove(JenkinsHttp http, String host, double cap, Duration within)
      throws Exception {
    long until = System.nanoTime() + within.toNanos();
    double risk = hostRisk(http, host);
    while (risk <= cap && System.nanoTime() < until) {
      Thread.sleep(2000);
      risk = hostRisk(http, host);
    }
    assertTrue(risk > cap, "the risk of " + host + " stayed at " + risk + " within " + within);
    return risk;
  }

  /** Waits for the build log's {@code n}th move message; a loss message fails at once. */
  private Matcher awaitMove(JenkinsTooling admin, int build, int n, Duration within)
      throws Exception {
    long until = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < until) {
      String console = admin.consoleText(MOVE_JOB, build);
      Matcher m = MOVED.matcher(console);
      for (int i = 0; m.find(); i++) {
        if (i == n - 1) {
          return m;
        }
      }
      assertFalse(console.contains("was lost"), "the build was lost:\n" + console);
      assertTrue(
          admin.build(MOVE_JOB, build).path("building").asBoolean(),
          "the build ended before move " + n + ":\n" + console + diagnostics(null));
      Thread.sleep(2000);
    }
    throw new AssertionError(
        "no move " + n + " told in the build log within " + within + diagnostics(null));
  }

  private static void assertCountersInOrder(String console, int steps) {
    Matcher m = Pattern.compile("(?m)^COUNTER (\\d+)$").matcher(console);
    int expected = 1;
    while (m.find()) {
      assertEquals(expected, Integer.parseInt(m.group(1)), "counter lines in order:\n" + console);
      expected++;
    }
    assertEquals(steps + 1, expected, "every counter line:\n" + console);
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }

  /** Waits until a SpotNest agent of the cloud is online; returns its name. */
  private String awaitAgentOnline(JenkinsHttp http, Duration within) throws Exception {
    long until = System.nanoTime() + within.toNanos();
    String seen = null;
    while (System.nanoTime() < until) {
      for (JsonNode c : http.json("computer/api/json").path("computer")) {
        String name = c.path("displayName").asText();
        if (name.startsWith(CLOUD + "-")) {
          seen = name;
          if (!c.path("offline").asBoolean(true)) {
            return name;
          }
        }
      }
      Thread.sleep(2000);
    }
    throw new AssertionError(
        "no SpotNest agent online within "
            + within
            + (seen == null ? " (none provisioned)" : "; " + seen + " stayed offline")
            + diagnostics(seen));
  }

  private static Path warOrSkip() {
    String war = System.getenv(WAR_VARIABLE);
    if (war == null || war.isBlank()) {
      String why =
          "SKIPPED RealJenkinsCloudLabTest: "
              + WAR_VARIABLE
              + " is not set, so the plugin was NOT tried provisioning agent VMs on the lab's"
              + " hosts. Set it to a jenkins.war (2.541.3) to run this test.";
      System.err.println("*".repeat(100) + "\n" + why + "\n" + "*".repeat(100));
      assumeTrue(false, why);
    }
    Path file = Path.of(war);
    assertTrue(Files.isRegularFile(file), WAR_VARIABLE + "=" + war + " is not a file");
    return file;
  }

  private static Path hpiOrSkip() {
    String hpi = System.getProperty("spotnest.hpi");
    // only when -Dtest pulls it into default-test: the same build runs it again with the .hpi
    assumeTrue(hpi != null, "runs in the package phase (execution hpi-test), once the .hpi exists");
    Path file = Path.of(hpi);
    assertTrue(Files.isRegularFile(file), file + " was not built");
    return file;
  }

  /** The real agent image ({@code ./spotnest image build}); builds it, or finds it cached. */
  private static Path agentImage() throws Exception {
    Path tools = RepoRoot.find().resolve("nested-agent-image");
    Process build =
        new ProcessBuilder(tools.resolve("build-agent-image.sh").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertTrue(build.waitFor(8, TimeUnit.MINUTES), "the agent image build ran past 8 min");
    assertEquals(
        0, build.exitValue(), "build-agent-image.sh failed; run ./spotnest image build to see why");
    Path dir = tools.resolve("out/agent");
    for (String f : List.of("vmlinuz", "initramfs.cpio.gz", "agent-root.qcow2")) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), "the image lacks " + f);
    }
    return dir;
  }

  private InetAddress requireControllerOnLabLink() throws IOException {
    String address = tb.controllerAddress();
    Shell shell = tb.shell();
    String onLink =
        shell.run("ip", "-4", "-o", "addr", "show", "dev", tb.names().managementDevice()).stdout();
    assertTrue(onLink.contains(" " + address + "/"), "not on the lab link: " + onLink);
    return InetAddress.getByName(address);
  }

  /** The agent VM's serial console on every host, and the end of Jenkins' log. */
  private String diagnostics(String agent) {
    StringBuilder out = new StringBuilder();
    try {
      for (TestbedHost h : tb.hosts()) {
        if (agent != null && Files.exists(h.serialLog(agent))) {
          out.append("\n--- console of ")
              .append(agent)
              .append(" on ")
              .append(h.name())
              .append('\n')
              .append(tail(Files.readString(h.serialLog(agent)).replace("\r", "")));
        }
      }
      out.append("\n--- Jenkins log\n").append(tail(jenkins.log()));
      if (agent != null) {
        out.append("\n--- agent log\n")
            .append(tail(new JenkinsTooling(jenkins.login()).agentLog(agent)));
      }
    } catch (Exception e) {
      out.append("\n(diagnostics failed: ").append(e).append(')');
    }
    return out.toString();
  }

  private static String tail(String text) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  private static double secs(Duration d) {
    return d.toMillis() / 1000.0;
  }

  private static void report(String format, Object... args) {
    System.out.println("[real-jenkins-cloud] " + String.format(format, args));
  }

  private static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(all::add);
    }
    for (Path f : all) {
      Files.deleteIfExists(f);
    }
  }
}
