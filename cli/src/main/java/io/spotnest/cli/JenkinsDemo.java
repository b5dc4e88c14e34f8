package io.spotnest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.spotnest.testbed.LabHostServices;
import io.spotnest.testbed.LabNames;
import io.spotnest.testbed.LinkShape;
import io.spotnest.testbed.Testbed;
import io.spotnest.testbed.TestbedSpec;
import io.spotnest.testbed.jenkins.JenkinsHttp;
import io.spotnest.testbed.jenkins.JenkinsTooling;
import io.spotnest.testbed.jenkins.MarketFeedFile;
import io.spotnest.testbed.jenkins.MarketFeedFile.Notice;
import io.spotnest.testbed.jenkins.RealJenkins;
import io.spotnest.testbed.jenkins.SpotNestCloudForm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code spotnest demo --jenkins WAR}: the plugin's story in a real Jenkins a person can open.
 * Three lab hosts (sshd and libvirtd each; host 1 someone else's spot capacity, hosts 2 and 3
 * on-demand), Jenkins on the controller's lab address with the built .hpi, the SpotNest cloud
 * created through Jenkins' own form with a market feed file, a freestyle job on the cloud's label.
 * While the build runs the feed shows the spot pool's risk rising, then a notice for the agent's
 * host (the plugin live-migrates the agent), then a notice for its new host (it moves again); the
 * build ends SUCCESS. Everything (Jenkins, its home, the lab) is removed at the end, on failure and
 * on Ctrl-C.
 */
final class JenkinsDemo {
  static final String CLOUD = "spotnest";
  static final String LABEL = "spotnest-vm";
  static final String JOB = "count-across-two-moves";
  static final String KEY = "spotnest-key";
  static final String IMAGE = "spotnest-agent";
  static final String FEED = "market-feed.json";
  static final long HOST_MEMORY_MIB = 1024;

  /** The spot risk cap of the plugin's fleet (FleetAssembly.MAX_SPOT_RISK). */
  static final double SPOT_RISK_CAP = 0.2;

  static final String ADMIN_API = "manage/spotnest/api?endpoint=";

  /** The build log's move message (BuildLogMessages.migrated). */
  static final Pattern MOVED =
      Pattern.compile(
          "Agent (\\S+) was live-migrated from host (\\S+) to host (\\S+) because (.+?)\\. The"
              + " move took ([0-9.]+) s and paused this build for (\\d+) ms");

  /**
   * What the demo needs: the war, the repository root (the .hpi and the agent image are found or
   * built there), how long the build counts, how far ahead a notice's deadline is, and whether to
   * leave it all up until Enter.
   */
  record Settings(Path war, Path root, int buildSeconds, Duration noticeLead, boolean keep) {}

  /** One move as the build log tells it. */
  record Move(String agent, String from, String to, String why, double seconds, long pauseMs) {
    static Move of(Matcher m) {
      return new Move(
          m.group(1),
          m.group(2),
          m.group(3),
          m.group(4),
          Double.parseDouble(m.group(5)),
          Long.parseLong(m.group(6)));
    }
  }

  /** The outcome: Jenkins' address, the build's result, how many builds the job ran, the moves. */
  record Result(URI jenkins, String buildResult, int builds, List<Move> moves) {
    int finished() {
      return "SUCCESS".equals(buildResult) ? 1 : 0;
    }

    int restarted() {
      return Math.max(0, builds - 1);
    }

    long maxPauseMs() {
      return moves.stream().mapToLong(Move::pauseMs).max().orElse(0);
    }

    /** The summary line, in the style of the fleet demo's. */
    String line() {
      return "demo: builds_finished=%d builds_restarted=%d migrations=%d max_pause_ms=%d"
          .formatted(finished(), restarted(), moves.size(), maxPauseMs());
    }
  }

  private final LabControl labs;
  private final Settings settings;
  private final PrintStream err;
  private final InputStream in;

  JenkinsDemo(LabControl labs, Settings settings, PrintStream err, InputStream in) {
    this.labs = labs;
    this.settings = settings;
    this.err = err;
    this.in = in;
  }

  Result run() throws Exception {
    Path hpi = PluginHpi.builtOrBuild(settings.root(), err);
    say("plugin %s", hpi);
    Path image = AgentImage.builtOrBuild(settings.root(), err);
    say("agent image %s", image);
    // Jenkins' log outlives the demo only when it fails (for diagnosis)
    Path jenkinsLog = Files.createTempFile("spotnest-demo-jenkins-", ".log");
    Result result;
    try (Stage stage = new Stage()) {
      result = story(stage, hpi, image, jenkinsLog);
    } catch (Exception | Error e) {
      say("failed; Jenkins' log is kept at %s", jenkinsLog);
      throw e;
    }
    Files.deleteIfExists(jenkinsLog);
    return result;
  }

  private Result story(Stage stage, Path hpi, Path image, Path jenkinsLog) throws Exception {
    long t0 = System.nanoTime();
    stage.tb =
        labs.start(
            new TestbedSpec(3, HOST_MEMORY_MIB, LinkShape.UNSHAPED, Path.of("/var/tmp/spotnest"))
                .withRoutedSubnets());
    Testbed tb = stage.tb;
    LabNames names = tb.names();
    stage.scratch = Files.createTempDirectory("spotnest-jenkins-demo");
    stage.services =
        new LabHostServices(Files.createDirectories(stage.scratch.resolve("services")));
    stage.services.agentDhcp(names);
    Path images = Files.createDirectories(stage.scratch.resolve("images"));
    Files.createSymbolicLink(images.resolve(IMAGE), image);
    say(
        "lab %d up in %.0f s: hosts %s",
        names.index(),
        secs(t0),
        String.join(
            ", ", tb.hosts().stream().map(h -> h.name() + " (" + h.address() + ")").toList()));

    // the controller's lab address: the agent VMs reach Jenkins there through the lab's router,
    // and it is an address of this machine's root namespace, so a browser here opens it as well
    InetAddress controller = InetAddress.getByName(tb.controllerAddress());
    stage.jenkins =
        RealJenkins.start(
            settings.war(), List.of(hpi), jenkinsLog, Duration.ofMinutes(5), controller);
    RealJenkins jenkins = stage.jenkins;
    say(
        "Jenkins up at %s after %.0f s: sign in as %s, password %s (a throw-away account of this"
            + " demo's Jenkins; it is deleted with it)",
        jenkins.base(),
        jenkins.startup().toMillis() / 1000.0,
        RealJenkins.USER,
        jenkins.adminPassword());

    Path sshDir = jenkins.home().resolve("spotnest").resolve("ssh");
    stage.services.clientKey(sshDir, KEY);
    String spotPool = "lab.vm@spot" + names.index();
    String onDemandPool = "lab.vm@od" + names.index();
    String staticHosts =
        SpotNestCloudForm.labStaticHosts(tb, stage.services, sshDir, KEY, spotPool, onDemandPool);
    MarketFeedFile feed =
        new MarketFeedFile(jenkins.home().resolve("spotnest").resolve(FEED), spotPool);
    feed.writeCalm();

    JenkinsHttp http = jenkins.login();
    HttpResponse<String> created =
        SpotNestCloudForm.create(http, cloud(jenkins.base(), staticHosts, images));
    if (created.statusCode() != 302) {
      throw new IllegalStateException(
          "Jenkins refused the cloud's form (HTTP " + created.statusCode() + "); see its log");
    }
    say(
        "cloud '%s' configured through Jenkins' New cloud form: %s spot (pool %s, calm in the"
            + " market feed %s), %s and %s on-demand",
        CLOUD, tb.host(1).name(), spotPool, feed.file(), tb.host(2).name(), tb.host(3).name());

    JenkinsTooling admin = new JenkinsTooling(http);
    admin.createFreestyleJob(JOB, LABEL, JenkinsTooling.counterScript(settings.buildSeconds()));
    long queued = System.nanoTime();
    String item = admin.build(JOB);
    say(
        "build of %s queued; the cloud provisions an agent VM on a lab host (its boot under TCG"
            + " takes minutes)",
        JOB);
    String agent = awaitAgentOnline(http, Duration.ofMinutes(12));
    int build = admin.awaitBuildNumber(item, Duration.ofMinutes(2));
    String firstHost = hostOf(http, agent);
    say("agent %s online on %s %.0f s after the build was queued", agent, firstHost, secs(queued));
    admin.awaitCounter(JOB, build, 5, Duration.ofMinutes(3));
    say("build #%d running on %s (%s)", build, agent, jenkins.base().resolve("job/" + JOB + "/"));

    // the spot host's risk (the agent may have started on an on-demand host when the feed had not
    // been read yet at provisioning; the notices below follow it wherever it is)
    String spotHost = tb.host(1).name();
    double calm = hostRisk(http, spotHost);
    long risen = System.nanoTime();
    feed.writeRising(List.of());
    double high = awaitRiskAbove(http, spotHost, Duration.ofSeconds(90));
    say(
        "market: risk of %s (%s) rising from %.3f to %.3f within %.0f s (an agent there is"
            + " evacuable within a notice, so it stays)",
        spotHost, spotPool, calm, high, secs(risen));

    List<Move> moves = new ArrayList<>();
    Instant firstDeadline = Instant.now().plus(settings.noticeLead());
    feed.writeRising(List.of(new Notice(firstHost, firstDeadline)));
    say("market: notice written for %s (reclaimed at %s)", firstHost, firstDeadline);
    moves.add(awaitMove(admin, build, 1));
    String secondHost = moves.get(0).to();
    feed.writeRising(
        List.of(
            new Notice(firstHost, firstDeadline),
            new Notice(secondHost, Instant.now().plus(settings.noticeLead()))));
    say("market: notice written for %s", secondHost);
    moves.add(awaitMove(admin, build, 2));

    JsonNode end =
        admin.awaitBuildEnd(JOB, build, Duration.ofSeconds(settings.buildSeconds() * 3L + 120));
    String result = end.path("result").asText();
    say(
        "build #%d %s in %.0f s across %d live migrations (%s)",
        build,
        result,
        end.path("duration").asLong() / 1000.0,
        moves.size(),
        jenkins.base().resolve("job/" + JOB + "/" + build + "/console"));
    int builds = http.json("job/" + JOB + "/api/json").path("builds").size();
    Result outcome = new Result(jenkins.base(), result, builds, moves);
    if (settings.keep()) {
      say(
          "--keep: Jenkins stays up at %s (user %s, password %s); press Enter or Ctrl-C to tear it"
              + " all down",
          jenkins.base(), RealJenkins.USER, jenkins.adminPassword());
      new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
    }
    say("tearing down: Jenkins, the agent VMs, lab %d", names.index());
    return outcome;
  }

  private Map<String, Object> cloud(URI base, CharSequence staticHosts, Path images) {
    return SpotNestCloudForm.labCloud(
        CLOUD, LABEL, IMAGE, base.toString(), staticHosts, HOST_MEMORY_MIB, images, FEED);
  }

  private String awaitAgentOnline(JenkinsHttp http, Duration within) throws Exception {
    long until = System.nanoTime() + within.toNanos();
    String seen = null;
    while (System.nanoTime() < until) {
      for (JsonNode c : http.json("computer/api/json").path("computer")) {
        String name = c.path("displayName").asText();
        if (name.startsWith(CLOUD + "-")) {
          if (seen == null) {
            say("agent %s provisioning", name);
          }
          seen = name;
          if (!c.path("offline").asBoolean(true)) {
            return name;
          }
        }
      }
      Thread.sleep(2000);
    }
    throw new IllegalStateException(
        "no SpotNest agent online within "
            + within
            + (seen == null ? " (none provisioned)" : "; " + seen + " stayed offline"));
  }

  private static String hostOf(JenkinsHttp http, String agent) throws Exception {
    return adminEntry(http, "agents", agent, "the SpotNest admin page does not list " + agent)
        .path("host")
        .asText();
  }

  private static double hostRisk(JenkinsHttp http, String host) throws Exception {
    return adminEntry(http, "hosts", host, "the SpotNest admin page does not list host " + host)
        .path("risk")
        .asDouble();
  }

  /**
   * The entry with {@code id} in the admin API's {@code list} ({@code agents} or {@code hosts}: an
   * array, or an object holding it under that name); {@code missing} is the failure's message.
   */
  private static JsonNode adminEntry(JenkinsHttp http, String list, String id, String missing)
      throws Exception {
    JsonNode entries = http.json(ADMIN_API + "/api/" + list);
    for (JsonNode e : entries.isArray() ? entries : entries.path(list)) {
      if (id.equals(e.path("id").asText())) {
        return e;
      }
    }
    throw new IllegalStateException(missing);
  }

  private static double awaitRiskAbove(JenkinsHttp http, String host, Duration within)
      throws Exception {
    long until = System.nanoTime() + within.toNanos();
    double risk = hostRisk(http, host);
    while (risk <= SPOT_RISK_CAP && System.nanoTime() < until) {
      Thread.sleep(2000);
      risk = hostRisk(http, host);
    }
    if (risk <= SPOT_RISK_CAP) {
      throw new IllegalStateException(
          "the risk of " + host + " stayed at " + risk + " within " + within);
    }
    return risk;
  }

  /** Waits for the build log's {@code n}th move message; a lost build or its end fails at once. */
  private Move awaitMove(JenkinsTooling admin, int build, int n) throws Exception {
    Duration within = settings.noticeLead().plusSeconds(60);
    long since = System.nanoTime();
    long until = since + within.toNanos();
    while (System.nanoTime() < until) {
      String console = admin.consoleText(JOB, build);
      Matcher m = MOVED.matcher(console);
      for (int i = 0; m.find(); i++) {
        if (i == n - 1) {
          Move move = Move.of(m);
          say(
              "moved %s from %s to %s in %.1f s, paused %d ms, %.0f s after the notice; because %s",
              move.agent(),
              move.from(),
              move.to(),
              move.seconds(),
              move.pauseMs(),
              secs(since),
              move.why());
          return move;
        }
      }
      if (console.contains("was lost")) {
        throw new IllegalStateException("the build was lost before move " + n);
      }
      if (!admin.build(JOB, build).path("building").asBoolean()) {
        throw new IllegalStateException("the build ended before move " + n);
      }
      Thread.sleep(2000);
    }
    throw new IllegalStateException("no move " + n + " in the build log within " + within);
  }

  private void say(String format, Object... args) {
    err.println("demo: " + String.format(Locale.ROOT, format, args));
    err.flush();
  }

  private static double secs(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  /**
   * What the demo started, removed in reverse order by {@link #close()}: at the end, on failure, or
   * by the shutdown hook on Ctrl-C (the lab also has its own).
   */
  private static final class Stage implements AutoCloseable {
    private final Thread hook = new Thread(this::close, "jenkins-demo-cleanup");
    Testbed tb;
    LabHostServices services;
    RealJenkins jenkins;
    Path scratch;
    private boolean closed;

    Stage() {
      Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (jenkins != null) {
          jenkins.close();
        }
      } catch (IOException | InterruptedException | RuntimeException e) {
        System.err.println("demo: stopping Jenkins: " + e.getMessage());
      }
      try {
        if (services != null) {
          services.close();
        }
      } catch (InterruptedException | RuntimeException e) {
        System.err.println("demo: stopping sshd/udhcpd: " + e.getMessage());
      }
      try {
        if (tb != null) {
          tb.close();
        }
      } finally {
        deleteTree(scratch);
        if (Thread.currentThread() != hook) {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException ignored) {
            // the JVM is shutting down
          }
        }
      }
    }

    private static void deleteTree(Path root) {
      if (root == null || !Files.exists(root)) {
        return;
      }
      try (var files = Files.walk(root)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      } catch (IOException e) {
        System.err.println("demo: could not remove " + root + ": " + e.getMessage());
      }
    }
  }
}
