package io.spotnest.testbed.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a user's tooling does to a Jenkins over its REST API, with a crumb on every POST: create a
 * permanent inbound (WebSocket) agent, read its secret, create a freestyle job from config.xml,
 * start a build and read its state, console, workspace and the agent's connection log.
 */
public final class JenkinsTooling {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,62}");
  private static final Pattern FIRST_ARGUMENT =
      Pattern.compile("<application-desc>\\s*<argument>([0-9a-f]{64})</argument>");

  private final JenkinsHttp http;
  private JenkinsHttp.Crumb crumb;

  public JenkinsTooling(JenkinsHttp http) {
    this.http = http;
  }

  /**
   * Creates a permanent agent launched inbound over WebSocket ({@code JNLPLauncher}), used only for
   * jobs tied to its label, as python-jenkins' {@code create_node} does.
   */
  public void createInboundAgent(String name, String label, String remoteFs)
      throws IOException, InterruptedException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", checked(name));
    json.put("nodeDescription", "SpotNest agent VM");
    json.put("numExecutors", "1");
    json.put("remoteFS", remoteFs);
    json.put("labelString", label);
    json.put("mode", "EXCLUSIVE");
    json.put("type", "hudson.slaves.DumbSlave");
    json.put(
        "retentionStrategy", Map.of("stapler-class", "hudson.slaves.RetentionStrategy$Always"));
    json.put("nodeProperties", Map.of("stapler-class-bag", "true"));
    json.put("launcher", Map.of("stapler-class", "hudson.slaves.JNLPLauncher", "webSocket", true));
    HttpResponse<String> created =
        http.post(
            "computer/doCreateItem",
            Map.of("name", name, "type", "hudson.slaves.DumbSlave", "json", JenkinsHttp.json(json)),
            crumb());
    require(created, 302, "creating agent " + name);
    HttpResponse<String> config = http.get("computer/" + name + "/config.xml");
    require(config, 200, "reading agent " + name + "'s config.xml");
    if (!config.body().contains("hudson.slaves.JNLPLauncher")
        || !config.body().contains("<webSocket>true</webSocket>")) {
      throw new IllegalStateException("agent " + name + " is not an inbound WebSocket agent");
    }
  }

  /** The agent's secret, read from its {@code jenkins-agent.jnlp} (never printed). */
  public AgentSecret agentSecret(String name) throws IOException, InterruptedException {
    HttpResponse<String> jnlp = http.get("computer/" + checked(name) + "/jenkins-agent.jnlp");
    require(jnlp, 200, "reading agent " + name + "'s jenkins-agent.jnlp");
    Matcher m = FIRST_ARGUMENT.matcher(jnlp.body());
    if (!m.find()) {
      throw new IllegalStateException("no secret in agent " + name + "'s jenkins-agent.jnlp");
    }
    return new AgentSecret(m.group(1));
  }

  /**
   * A build's shell script that counts to {@code steps}, one {@code COUNTER i} line and one
   * workspace file {@code step-i.txt} a second, after an {@code ON host user} line; it ends with
   * {@code WORKSPACE-OK files=N}, the step files the workspace then holds.
   */
  public static String counterScript(int steps) {
    return """
        #!/bin/bash -eu
        echo "ON $(hostname) $(id -un)"
        rm -f step-*.txt
        for i in $(seq 1 %d); do
          echo "COUNTER $i"
          echo "counter $i" > "step-$i.txt"
          sleep 1
        done
        echo "WORKSPACE-OK files=$(ls step-*.txt | wc -l)"
        """
        .formatted(steps);
  }

  /**
   * Creates a freestyle job that runs {@code script} in one shell step on nodes of {@code label}.
   */
  public void createFreestyleJob(String name, String label, String script)
      throws IOException, InterruptedException {
    String xml =
        """
        <?xml version='1.1' encoding='UTF-8'?>
        <project>
          <description>SpotNest: a build that outlives a live migration of its agent VM</description>
          <keepDependencies>false</keepDependencies>
          <properties/>
          <scm class="hudson.scm.NullSCM"/>
          <assignedNode>%s</assignedNode>
          <canRoam>false</canRoam>
          <disabled>false</disabled>
          <blockBuildWhenDownstreamBuilding>false</blockBuildWhenDownstreamBuilding>
          <blockBuildWhenUpstreamBuilding>false</blockBuildWhenUpstreamBuilding>
          <triggers/>
          <concurrentBuild>false</concurrentBuild>
          <builders>
            <hudson.tasks.Shell>
              <command>%s</command>
            </hudson.tasks.Shell>
          </builders>
          <publishers/>
          <buildWrappers/>
        </project>
        """
            .formatted(xmlText(label), xmlText(script));
    require(
        http.postXml("createItem?name=" + checked(name), xml, crumb()),
        200,
        "creating job " + name);
  }

  /** Queues a build of the job; returns the queue item's path (e.g. {@code queue/item/1/}). */
  public String build(String job) throws IOException, InterruptedException {
    HttpResponse<String> queued = http.post("job/" + checked(job) + "/build", Map.of(), crumb());
    require(queued, 201, "starting a build of " + job);
    String location =
        queued
            .headers()
            .firstValue("Location")
            .orElseThrow(() -> new IllegalStateException("no queue item for the build of " + job));
    return URI.create(location).getPath().substring(1);
  }

  /** Waits until the queued item became a build; returns its number. */
  public int awaitBuildNumber(String queueItem, Duration within)
      throws IOException, InterruptedException {
    return poll(
        within,
        Duration.ofMillis(500),
        () -> {
          JsonNode item = http.json(queueItem + "api/json");
          if (item.path("cancelled").asBoolean(false)) {
            throw new IllegalStateException(queueItem + " was cancelled");
          }
          JsonNode number = item.path("executable").path("number");
          return number.isInt() ? Optional.of(number.asInt()) : Optional.empty();
        },
        queueItem + " did not start within " + within);
  }

  /**
   * Waits until the build's console has the line {@code COUNTER n} of a {@link #counterScript}
   * (polling once a second).
   */
  public void awaitCounter(String job, int number, int n, Duration within)
      throws IOException, InterruptedException {
    poll(
        within,
        Duration.ofSeconds(1),
        () ->
            consoleText(job, number).contains("COUNTER " + n + "\n")
                ? Optional.of(n)
                : Optional.empty(),
        "build #" + number + " did not reach counter " + n);
  }

  /** The build's api/json: {@code building}, {@code result}, {@code duration}, {@code builtOn}. */
  public JsonNode build(String job, int number) throws IOException, InterruptedException {
    return http.json("job/" + checked(job) + "/" + number + "/api/json");
  }

  /**
   * Waits until the build has ended with a result (polling once a second); returns its api/json.
   */
  public JsonNode awaitBuildEnd(String job, int number, Duration within)
      throws IOException, InterruptedException {
    return poll(
        within,
        Duration.ofSeconds(1),
        () -> {
          JsonNode b = build(job, number);
          return !b.path("building").asBoolean(true) && !b.path("result").isNull()
              ? Optional.of(b)
              : Optional.empty();
        },
        "build #" + number + " did not end within " + within);
  }

  /** One look at Jenkins: what was waited for, or empty while it is not there yet. */
  @FunctionalInterface
  private interface Look<T> {
    Optional<T> take() throws IOException, InterruptedException;
  }

  /**
   * Looks every {@code every} until {@code look} finds something, for at most {@code within}; then
   * throws an {@link IllegalStateException} saying {@code failure}.
   */
  private static <T> T poll(Duration within, Duration every, Look<T> look, String failure)
      throws IOException, InterruptedException {
    long until = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < until) {
      Optional<T> found = look.take();
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(every.toMillis());
    }
    throw new IllegalStateException(failure);
  }

  public String consoleText(String job, int number) throws IOException, InterruptedException {
    HttpResponse<String> text = http.get("job/" + checked(job) + "/" + number + "/consoleText");
    require(text, 200, "reading the console of " + job + " #" + number);
    return text.body();
  }

  /** A file of the job's workspace, read through the agent that holds it. */
  public String workspaceFile(String job, String path) throws IOException, InterruptedException {
    HttpResponse<String> file = http.get("job/" + checked(job) + "/ws/" + path);
    require(file, 200, "reading " + path + " in " + job + "'s workspace");
    return file.body();
  }

  /** The computer's api/json: {@code offline}, {@code temporarilyOffline}, {@code idle}. */
  public JsonNode computer(String name) throws IOException, InterruptedException {
    return http.json(
        "computer/"
            + checked(name)
            + "/api/json?tree=offline,temporarilyOffline,offlineCauseReason,idle");
  }

  /** The agent's connection log as the controller keeps it (computer/NAME/log). */
  public String agentLog(String name) throws IOException, InterruptedException {
    HttpResponse<String> log = http.get("computer/" + checked(name) + "/logText/progressiveText");
    require(log, 200, "reading agent " + name + "'s log");
    return log.body();
  }

  private JenkinsHttp.Crumb crumb() throws IOException, InterruptedException {
    if (crumb == null) {
      crumb = http.crumb();
    }
    return crumb;
  }

  private static String checked(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("a job or agent name is 1..63 letters, digits, -");
    }
    return name;
  }

  private static void require(HttpResponse<String> response, int status, String what) {
    if (response.statusCode() != status) {
      String body = response.body() == null ? "" : response.body();
      throw new IllegalStateException(
          what
              + " answered "
              + response.statusCode()
              + " (expected "
              + status
              + "): "
              + body.substring(0, Math.min(400, body.length())));
    }
  }

  private static String xmlText(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
