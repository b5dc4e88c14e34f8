package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotnest.dashboard.DashboardSnapshot;
import io.spotnest.dashboard.LossView;
import io.spotnest.dashboard.PoolView;
import io.spotnest.dashboard.Savings;
import io.spotnest.jenkins.orchestrator.FleetConfigException;
import io.spotnest.testbed.browser.HeadlessChromium;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/**
 * The admin page's script in headless Chromium, on the page's own markup (from index.jelly, see
 * {@link AdminPageHarness}) and the documents its {@code api?endpoint=} proxy serves: the pools
 * table shows each pool as {@code /api/pools} says, with the dashboard's columns, and a closure's
 * reason only as text; the lost-builds table shows each loss of {@code /api/losses}: agent, host
 * (the one that vanished, when one did), reason (as text), time and what became of the build in
 * Jenkins, or that no build was lost.
 */
class AdminPageBrowserTest {
  private static final long T0 = 1_681_900_000_000L;
  private static final String INJECTED =
      "<img src=x onerror=\"document.body.dataset.injected='yes'\">capacity";
  private static final List<PoolView> POOLS =
      List.of(
          new PoolView(
              "c8i.2xlarge@use1-az1",
              "use1-az1",
              "closed",
              "launch-failed",
              "spot launch failed: " + INJECTED,
              T0 + 60_000,
              T0 + 660_000,
              null,
              0.125),
          new PoolView(
              "c8i.2xlarge@use1-az2",
              "use1-az2",
              "draining",
              "burst-drain",
              "burst drain: notice for h-9",
              T0 + 120_000,
              T0 + 1_020_000,
              T0 + 420_000,
              0.875),
          new PoolView(
              "c8i.2xlarge@use1-az3",
              "use1-az3",
              "closed",
              "quota",
              "spot launch failed: MaxSpotInstanceCountExceeded",
              null,
              T0 + 300_000,
              null,
              null),
          PoolView.open("m8i.2xlarge@use1-az1", "use1-az1", 0.0625));

  /** How the table names each closure kind of {@code /api/pools}, as the dashboard does. */
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

  private final FakeController controller = new FakeController();
  private final SpotNestManagementLink page =
      new SpotNestManagementLink(() -> controller, permission -> {});

  @Test
  void thePoolsTableShowsEachPoolAsTheJsonSaysAndReasonsAsText() throws Exception {
    controller.dashboard = snapshot(T0 + 180_000, List.of());
    JsonNode pools = new ObjectMapper().readTree(page.document("/api/pools").orElseThrow().json());
    assertEquals(POOLS.size(), pools.size());

    Document shown;
    try (HeadlessChromium chromium =
            HeadlessChromium.start("the admin page's pools table cannot be checked");
        AdminPageHarness harness = AdminPageHarness.serve(page)) {
      chromium.setCookie(harness.site(), AdminPageHarness.COOKIE, harness.session());
      chromium.open(harness.page(), 1280, 0);
      // the script ran against the proxy: its summary line is filled
      chromium.await(
          "document.getElementById('spotnest-summary').textContent.includes('% saved')", 30_000);
      chromium.await("document.querySelectorAll('#spotnest-pools tbody tr').length > 0", 10_000);
      shown = Jsoup.parse(chromium.dom());
    }

    Element table = shown.getElementById("spotnest-pools");
    assertNotNull(table, "no pools table on the admin page:\n" + shown.body());
    List<String> columns = table.select("thead th").eachText();
    assertEquals(
        List.of(
            "Pool",
            "State",
            "Kind",
            "Reason",
            "Since, UTC",
            "Reopens, UTC",
            "Agents leave by, UTC",
            "Risk"),
        columns);
    List<List<String>> rows = new ArrayList<>();
    table.select("tbody tr").forEach(r -> rows.add(r.select("td").eachText()));
    List<List<String>> expected = new ArrayList<>();
    for (JsonNode p : pools) {
      String state = p.get("state").asText();
      expected.add(
          List.of(
              p.get("pool").asText(),
              state,
              p.get("kind").isNull() ? "–" : KIND_LABELS.get(p.get("kind").asText()),
              p.get("reason").isNull() ? "–" : p.get("reason").asText(),
              p.get("sinceEpochMs").isNull()
                  ? state.equals("open") ? "–" : "earlier run"
                  : utc(p.get("sinceEpochMs").asLong()),
              p.get("untilEpochMs").isNull() ? "–" : utc(p.get("untilEpochMs").asLong()),
              p.get("drainByEpochMs").isNull() ? "–" : utc(p.get("drainByEpochMs").asLong()),
              p.get("risk").isNull()
                  ? "–"
                  : String.format(Locale.ROOT, "%.1f%%", p.get("risk").asDouble() * 100)));
    }
    assertEquals(expected, rows);
    assertEquals("2023-04-19 10:33", rows.get(1).get(6), "the draining pool's agents leave by");
    assertEquals("burst drain", rows.get(1).get(2), "the draining pool's kind");
    assertEquals("quota reached", rows.get(2).get(2), "a pool closed by a used-up quota");
    assertEquals("spot launch failed: " + INJECTED, rows.get(0).get(3), "the reason as text");
    assertTrue(table.select("img").isEmpty(), "no markup from a reason:\n" + table);
    assertEquals("", shown.body().attr("data-injected"), "no script from a reason");
  }

  /**
   * What the lost-builds table says became of a lost build: Jenkins reschedules it itself (or
   * refuses to, and says so in the build's log); the agent the orchestrator requeued is withdrawn.
   */
  static final String JENKINS_RESCHEDULES =
      "Jenkins rescheduled the build running on it, if any, unless it refused: that build's log"
          + " says which";

  @Test
  void theLostBuildsTableShowsTheVanishedHostReasonAsTextTimeAndWhatJenkinsDid() throws Exception {
    List<LossView> losses =
        List.of(
            new LossView(
                "spotnest-a1",
                "h-7",
                "host h-7 vanished (" + INJECTED + ")",
                T0 + 240_000,
                "agent-9"),
            new LossView("spotnest-a2", null, "agent lost at a restart", null, null));
    controller.dashboard = snapshot(T0 + 300_000, losses);
    assertEquals(
        2, new ObjectMapper().readTree(page.document("/api/losses").orElseThrow().json()).size());

    Document shown = shown("#spotnest-losses tbody tr");

    Element table = shown.getElementById("spotnest-losses");
    assertNotNull(table, "no lost-builds table on the admin page:\n" + shown.body());
    assertEquals(
        List.of("Agent", "Host", "Reason", "Lost at, UTC", "Build"),
        table.select("thead th").eachText());
    List<List<String>> rows = new ArrayList<>();
    table.select("tbody tr").forEach(r -> rows.add(r.select("td").eachText()));
    assertEquals(
        List.of(
            List.of(
                "spotnest-a1",
                "h-7",
                "host h-7 vanished (" + INJECTED + ")",
                utc(T0 + 240_000),
                JENKINS_RESCHEDULES),
            List.of(
                "spotnest-a2",
                "unknown",
                "agent lost at a restart",
                "earlier run",
                JENKINS_RESCHEDULES)),
        rows);
    assertTrue(
        !table.text().contains("agent-9"),
        "the orchestrator's requeued agent is withdrawn in Jenkins, never shown:\n" + table);
    assertTrue(table.select("img").isEmpty(), "no markup from a reason:\n" + table);
    assertEquals("", shown.body().attr("data-injected"), "no script from a reason");
  }

  @Test
  void anEmptyLostBuildsTableSaysNoBuildWasLost() throws Exception {
    controller.dashboard = snapshot(T0 + 300_000, List.of());

    Document shown = shown("#spotnest-losses tbody tr");

    List<List<String>> rows = new ArrayList<>();
    shown.select("#spotnest-losses tbody tr").forEach(r -> rows.add(r.select("td").eachText()));
    assertEquals(List.of(List.of("No build lost")), rows);
  }

  /**
   * While the fleet cannot start, {@code api?endpoint=} answers 503 with the one line saying why:
   * the summary and every table the script fills show that line (as text), never an empty table or
   * "No build lost".
   */
  @Test
  void aFleetThatCannotStartShowsItsOneLineInsteadOfEmptyTables() throws Exception {
    String why = "staticHosts: line 1: " + INJECTED;
    SpotNestManagementLink down =
        new SpotNestManagementLink(
            () -> {
              throw new FleetConfigException(why);
            },
            permission -> {});

    Document shown;
    try (HeadlessChromium chromium =
            HeadlessChromium.start(
                "the admin page of a fleet that cannot start cannot be checked");
        AdminPageHarness harness = AdminPageHarness.serve(down)) {
      chromium.setCookie(harness.site(), AdminPageHarness.COOKIE, harness.session());
      chromium.open(harness.page(), 1280, 0);
      chromium.await(
          "document.getElementById('spotnest-summary').textContent !== 'Loading\u2026'", 30_000);
      try {
        chromium.await(
            "['spotnest-migrations', 'spotnest-losses', 'spotnest-pools'].every(function (t) {"
                + " return document.querySelectorAll('#' + t + ' tbody tr').length > 0; })",
            10_000);
      } catch (IllegalStateException notFilled) {
        // the assertions below say what the page shows instead
      }
      shown = Jsoup.parse(chromium.dom());
    }

    String said = "The fleet cannot start: " + why;
    assertEquals(said, shown.getElementById("spotnest-summary").text());
    for (String id : List.of("spotnest-migrations", "spotnest-losses", "spotnest-pools")) {
      Element table = shown.getElementById(id);
      List<List<String>> rows = new ArrayList<>();
      table.select("tbody tr").forEach(r -> rows.add(r.select("td").eachText()));
      assertEquals(List.of(List.of(said)), rows, id);
      assertEquals(
          String.valueOf(table.select("thead th").size()),
          table.selectFirst("tbody td").attr("colspan"),
          id + ": the line spans the table");
    }
    assertTrue(shown.select("img").isEmpty(), "no markup from the message:\n" + shown.body());
    assertEquals("", shown.body().attr("data-injected"), "no script from the message");
  }

  /** The orchestrator's snapshot at {@code asOf}: the {@link #POOLS} and {@code losses}. */
  private static DashboardSnapshot snapshot(long asOf, List<LossView> losses) {
    return new DashboardSnapshot(
        asOf,
        "orchestrator",
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        POOLS,
        List.of(),
        losses,
        new Savings(1.5, 4.0));
  }

  /** The admin page as Chromium shows it once {@code rows} are filled. */
  private Document shown(String rows) throws Exception {
    try (HeadlessChromium chromium =
            HeadlessChromium.start("the admin page's tables cannot be checked");
        AdminPageHarness harness = AdminPageHarness.serve(page)) {
      chromium.setCookie(harness.site(), AdminPageHarness.COOKIE, harness.session());
      chromium.open(harness.page(), 1280, 0);
      chromium.await(
          "document.getElementById('spotnest-summary').textContent.includes('% saved')", 30_000);
      chromium.await("document.querySelectorAll('" + rows + "').length > 0", 10_000);
      return Jsoup.parse(chromium.dom());
    }
  }

  private static String utc(long epochMs) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
        .withZone(ZoneOffset.UTC)
        .format(Instant.ofEpochMilli(epochMs));
  }
}
