package io.spotnest.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotnest.testbed.browser.HeadlessChromium;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/**
 * The page in headless Chromium: it loads, polls again after its first render, and what it then
 * shows is what the JSON endpoints say.
 */
class DashboardPageBrowserTest {
  private final ObjectMapper json = new ObjectMapper();

  /**
   * Serves {@link Samples#before()} for the page's first poll (its six requests), then {@link
   * Samples#after()}.
   */
  private static final class ChangesAfterFirstPoll implements DashboardSource {
    private final AtomicInteger calls = new AtomicInteger();

    @Override
    public DashboardSnapshot snapshot() {
      return calls.incrementAndGet() <= 6 ? Samples.before() : Samples.after();
    }
  }

  /** How the Pools table names each closure kind of {@code /api/pools}. */
  private static final Map<String, String> KIND_LABELS =
      Map.of(
          "launch-failed",
          "launch failed",
          "no-capacity",
          "no capacity",
          "unsupported",
          "unsupported",
          "quota",
          "quota reached",
          "burst-drain",
          "burst drain");

  @Test
  void pageShowsTheLiveJson() throws Exception {
    ChangesAfterFirstPoll source = new ChangesAfterFirstPoll();
    try (HeadlessChromium chromium =
            HeadlessChromium.start("the dashboard's browser test cannot run");
        DashboardServer server =
            DashboardServer.start(source, InetAddress.getByName("127.0.0.1"), 0)) {
      chromium.open(server.signInUri(), 1280, 0);
      chromium.runFor(7_000);
      Document page = Jsoup.parse(chromium.dom());
      assertTrue(source.calls.get() > 6, "the page polled again after its first render");
      assertTrue(
          Integer.parseInt(page.body().attr("data-updates")) >= 2,
          "the page re-rendered live; status: " + page.getElementById("status").text());

      JsonNode summary = api(server, "/api/summary");
      assertEquals(summary.get("hosts").asText(), text(page, "sum-hosts"));
      assertEquals(summary.get("spotHosts").asText(), text(page, "sum-spot"));
      assertEquals(summary.get("onDemandHosts").asText(), text(page, "sum-ondemand"));
      assertEquals(summary.get("agents").asText(), text(page, "sum-agents"));
      assertEquals(pct(summary.get("maxRisk").asDouble()), text(page, "sum-max-risk"));
      assertEquals(summary.get("migrations").asText(), text(page, "sum-migrations"));
      assertEquals(
          String.format(Locale.ROOT, "%,d ms", summary.get("maxPauseMs").asLong()),
          text(page, "sum-max-pause"));
      assertEquals(
          String.format(Locale.ROOT, "%.1f%%", summary.get("savingPct").asDouble()),
          text(page, "sum-saving"));
      assertEquals(
          "187 ms", text(page, "sum-max-pause"), "the later snapshot, not the first one, is shown");

      for (JsonNode h : api(server, "/api/hosts")) {
        Element row = row(page, "hosts", h.get("id").asText());
        assertEquals(pct(h.get("risk").asDouble()), cell(row, "risk"));
        assertEquals(h.get("pool").asText(), cell(row, "pool"));
        assertEquals(
            h.get("market").asText().equals("SPOT") ? "spot" : "on demand", cell(row, "market"));
        StringBuilder on = new StringBuilder();
        h.get("agents").forEach(a -> on.append(on.isEmpty() ? "" : ", ").append(a.asText()));
        assertEquals(on.isEmpty() ? "–" : on.toString(), cell(row, "agents"));
      }
      for (JsonNode a : api(server, "/api/agents")) {
        Element row = row(page, "agents", a.get("id").asText());
        assertEquals(a.get("state").asText(), cell(row, "state"));
        assertEquals(a.get("host").asText(), cell(row, "host"));
        assertEquals(a.get("buildSteps").asText(), cell(row, "steps"));
      }
      for (JsonNode p : api(server, "/api/risk")) {
        Element row = row(page, "pools", p.get("pool").asText());
        JsonNode points = p.get("points");
        assertEquals(String.valueOf(points.size()), cell(row, "points"));
        assertEquals(
            pct(points.get(points.size() - 1).get("risk").asDouble()), cell(row, "latest"));
      }
      for (JsonNode p : api(server, "/api/pools")) {
        Element row = row(page, "pool-states", p.get("pool").asText());
        assertEquals(p.get("state").asText(), cell(row, "state"));
        assertEquals(KIND_LABELS.get(p.get("kind").asText()), cell(row, "kind"));
        assertEquals(p.get("reason").asText(), cell(row, "reason"));
        assertEquals(utc(p.get("untilEpochMs").asLong()), cell(row, "until"));
      }
      assertEquals(
          List.of(
              "pool",
              "state",
              "kind",
              "reason",
              "since (UTC)",
              "reopens (UTC)",
              "agents leave by",
              "risk"),
          page.select("#pool-states thead th").eachText());
      Element draining = row(page, "pool-states", "r5.16xlarge@us-east-1b");
      assertEquals("burst drain", cell(draining, "kind"));
      assertEquals("no capacity", cell(row(page, "pool-states", "r5.16xlarge@us-east-1c"), "kind"));
      assertEquals(utc(Samples.T0 + 800_000), cell(draining, "since"));
      assertEquals(utc(Samples.T0 + 1_100_000), cell(draining, "leave-by"));
      assertEquals("87.5%", cell(draining, "risk"));
      Element replayed = row(page, "pool-states", "r5.16xlarge@us-east-1c");
      assertEquals("earlier run", cell(replayed, "since"));
      assertEquals("–", cell(replayed, "risk"));
      assertEquals(Samples.INJECTED, cell(replayed, "reason"), "the reason is shown as text");
      assertTrue(page.select("#pool-states img").isEmpty(), "no markup from a reason");
      assertEquals("", page.body().attr("data-injected"), "no script from a reason");
      assertEquals("1 closed · 1 draining", text(page, "sum-pool-states"));

      JsonNode m = api(server, "/api/migrations").get(0);
      Element row =
          row(page, "migrations", m.get("agent").asText() + "@" + m.get("startEpochMs").asText());
      assertEquals(m.get("to").asText(), cell(row, "to"));
      assertEquals(
          String.format(Locale.ROOT, "%,d ms", m.get("durationMs").asLong()),
          cell(row, "duration"));
      assertEquals(
          String.format(Locale.ROOT, "%,d ms", m.get("pauseMs").asLong()), cell(row, "pause"));
      assertNotNull(page.selectFirst("#risk-chart"), "the risk chart's canvas is on the page");
    }
  }

  private JsonNode api(DashboardServer server, String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(server.baseUri().resolve(path))
                    .header("Authorization", "Bearer " + server.accessToken())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path);
    return json.readTree(r.body());
  }

  private static String pct(double x) {
    return String.format(Locale.ROOT, "%.1f%%", x * 100);
  }

  private static String utc(long epochMs) {
    return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
        .withZone(java.time.ZoneOffset.UTC)
        .format(java.time.Instant.ofEpochMilli(epochMs));
  }

  private static String text(Document page, String id) {
    Element e = page.getElementById(id);
    assertNotNull(e, "#" + id);
    return e.text();
  }

  private static Element row(Document page, String table, String key) {
    Element row = page.selectFirst("#" + table + " tbody tr[data-key=\"" + key + "\"]");
    assertNotNull(row, table + " row " + key + " in:\n" + page.getElementById(table));
    return row;
  }

  private static String cell(Element row, String k) {
    Element c = row.selectFirst("td[data-k=" + k + "]");
    assertNotNull(c, k + " in " + row);
    return c.text();
  }
}
