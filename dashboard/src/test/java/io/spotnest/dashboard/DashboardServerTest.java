package io.spotnest.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JSON endpoints of the real server over loopback, fed by an in-memory source. */
class DashboardServerTest {
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private FixedSource source;
  private DashboardServer server;

  @BeforeEach
  void start() throws IOException {
    source = new FixedSource(Samples.before());
    server = DashboardServer.start(source, InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.baseUri().resolve(path)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode api(String path) throws Exception {
    HttpResponse<String> r = get(path, "Authorization", "Bearer " + server.accessToken());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), path);
    return json.readTree(r.body());
  }

  @Test
  void servesOnlyOnLoopback() {
    assertEquals("127.0.0.1", server.baseUri().getHost());
    assertTrue(server.baseUri().getPort() > 0);
  }

  @Test
  void refusesToBindBeyondLoopback() throws Exception {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DashboardServer.start(source, InetAddress.getByName("0.0.0.0"), 0));
    assertTrue(e.getMessage().contains("loopback"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> DashboardServer.start(source, InetAddress.getByName("10.1.2.3"), 0));
  }

  @Test
  void hostsAgentsAndMigrationsAreTheSourcesRecords() throws Exception {
    JsonNode hosts = api("/api/hosts");
    assertEquals(3, hosts.size());
    assertEquals("h-spot-1", hosts.get(0).get("id").asText());
    assertEquals("SPOT", hosts.get(0).get("market").asText());
    assertEquals("r5.16xlarge@us-east-1b", hosts.get(0).get("pool").asText());
    assertEquals("us-east-1b", hosts.get(0).get("zone").asText());
    assertEquals(0.125, hosts.get(0).get("risk").asDouble());
    assertEquals(List.of("a1"), List.of(hosts.get(0).get("agents").get(0).asText()));
    assertEquals("ON_DEMAND", hosts.get(2).get("market").asText());

    JsonNode agents = api("/api/agents");
    assertEquals(2, agents.size());
    assertEquals("a1", agents.get(0).get("id").asText());
    assertEquals("busy", agents.get(0).get("state").asText());
    assertEquals("h-spot-1", agents.get(0).get("host").asText());
    assertEquals(41, agents.get(0).get("buildSteps").asLong());

    assertEquals(0, api("/api/migrations").size());
    source.set(Samples.after());
    JsonNode m = api("/api/migrations").get(0);
    assertEquals("a1", m.get("agent").asText());
    assertEquals("h-spot-1", m.get("from").asText());
    assertEquals("h-od-1", m.get("to").asText());
    assertEquals(Samples.T0 + 700_000, m.get("startEpochMs").asLong());
    assertEquals(4321, m.get("durationMs").asLong());
    assertEquals(187, m.get("pauseMs").asLong());
    assertEquals("risk", m.get("reason").asText());
  }

  @Test
  void riskSavingsAndSummary() throws Exception {
    JsonNode risk = api("/api/risk");
    assertEquals(2, risk.size());
    assertEquals("r5.16xlarge@us-east-1b", risk.get(0).get("pool").asText());
    assertEquals(15, risk.get(0).get("horizonMinutes").asInt());
    assertEquals(3, risk.get(0).get("points").size());
    assertEquals(Samples.T0 + 300_000, risk.get(0).get("points").get(1).get("atEpochMs").asLong());
    assertEquals(0.09, risk.get(0).get("points").get(1).get("risk").asDouble());

    JsonNode savings = api("/api/savings");
    assertEquals(3.5, savings.get("costUsd").asDouble());
    assertEquals(10.0, savings.get("allOnDemandUsd").asDouble());
    assertEquals(65.0, savings.get("savingPct").asDouble(), 1e-9);

    JsonNode summary = api("/api/summary");
    assertEquals(3, summary.get("hosts").asInt());
    assertEquals(2, summary.get("spotHosts").asInt());
    assertEquals(1, summary.get("onDemandHosts").asInt());
    assertEquals(2, summary.get("agents").asInt());
    assertEquals(2, summary.get("pools").asInt());
    assertEquals(0.125, summary.get("maxRisk").asDouble());
    assertEquals(0, summary.get("migrations").asInt());
    assertEquals("test fleet", summary.get("source").asText());
    assertEquals(Samples.T0 + 600_000, summary.get("asOfEpochMs").asLong());

    source.set(Samples.after());
    summary = api("/api/summary");
    assertEquals(1, summary.get("migrations").asInt());
    assertEquals(187, summary.get("maxPauseMs").asLong());
    assertEquals(0.875, summary.get("maxRisk").asDouble());
    assertEquals(65.0, summary.get("savingPct").asDouble(), 1e-9);
  }

  @Test
  void poolsSayWhichIsClosedOrDrainingWhySinceAndUntil() throws Exception {
    JsonNode pools = api("/api/pools");
    assertEquals(2, pools.size());
    JsonNode open = pools.get(0);
    assertEquals("r5.16xlarge@us-east-1b", open.get("pool").asText());
    assertEquals("us-east-1b", open.get("zone").asText());
    assertEquals("open", open.get("state").asText());
    assertTrue(open.get("reason").isNull() && open.get("untilEpochMs").isNull(), open.toString());
    assertTrue(open.get("kind").isNull(), "an open pool has no closure kind: " + open);
    assertEquals(0.125, open.get("risk").asDouble());
    JsonNode closed = pools.get(1);
    assertEquals("closed", closed.get("state").asText());
    assertEquals("launch-failed", closed.get("kind").asText());
    assertEquals(Samples.INJECTED, closed.get("reason").asText());
    assertEquals(Samples.T0 + 300_000, closed.get("sinceEpochMs").asLong());
    assertEquals(Samples.T0 + 900_000, closed.get("untilEpochMs").asLong());
    assertTrue(closed.get("drainByEpochMs").isNull(), closed.toString());

    source.set(Samples.after());
    pools = api("/api/pools");
    JsonNode draining = pools.get(0);
    assertEquals("draining", draining.get("state").asText());
    assertEquals("burst-drain", draining.get("kind").asText());
    assertEquals("burst drain: notice for h-spot-9", draining.get("reason").asText());
    assertEquals(Samples.T0 + 800_000, draining.get("sinceEpochMs").asLong());
    assertEquals(Samples.T0 + 1_800_000, draining.get("untilEpochMs").asLong());
    assertEquals(Samples.T0 + 1_100_000, draining.get("drainByEpochMs").asLong());
    assertEquals(0.875, draining.get("risk").asDouble());
    JsonNode replayed = pools.get(1);
    assertEquals("no-capacity", replayed.get("kind").asText());
    assertTrue(replayed.get("sinceEpochMs").isNull(), "replayed: since unknown");
    assertTrue(replayed.get("risk").isNull(), "not assessed: risk unknown");

    JsonNode summary = api("/api/summary");
    assertEquals(1, summary.get("poolsClosed").asInt());
    assertEquals(1, summary.get("poolsDraining").asInt());
  }

  @Test
  void nothingWithoutTheAccessToken() throws Exception {
    for (String path : List.of("/", "/api/hosts", "/api/summary", "/app.js")) {
      assertEquals(401, get(path).statusCode(), path);
      assertEquals(401, get(path, "Authorization", "Bearer wrong").statusCode(), path);
    }
  }

  @Test
  void signInSetsACookieThatOpensThePageAndTheApi() throws Exception {
    HttpResponse<String> signIn = get("/?token=" + server.accessToken());
    assertEquals(303, signIn.statusCode());
    assertEquals("/", signIn.headers().firstValue("Location").orElseThrow());
    String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
    String pair = cookie.split(";", 2)[0];
    HttpResponse<String> page = get("/", "Cookie", pair);
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<canvas"), "the page holds the risk chart");
    assertEquals(200, get("/api/hosts", "Cookie", pair).statusCode());
    assertEquals(
        200,
        get("/vendor/chart.umd.js", "Cookie", pair).statusCode(),
        "chart.js is served from the jar");
    assertEquals(404, get("/../pom.xml", "Cookie", pair).statusCode());
    assertEquals(404, get("/api/nope", "Cookie", pair).statusCode());
  }

  @Test
  void refusesForeignHostNamesAgainstDnsRebinding() throws Exception {
    String reply =
        raw(
            "GET /api/hosts HTTP/1.1\r\nHost: evil.example:"
                + server.baseUri().getPort()
                + "\r\nAuthorization: Bearer "
                + server.accessToken()
                + "\r\nConnection: close\r\n\r\n");
    assertTrue(reply.startsWith("HTTP/1.1 403"), reply);
  }

  @Test
  void onlyReads() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(server.baseUri().resolve("/api/hosts"))
                .header("Authorization", "Bearer " + server.accessToken())
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, r.statusCode());
  }

  private String raw(String request) throws IOException {
    try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), server.baseUri().getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
