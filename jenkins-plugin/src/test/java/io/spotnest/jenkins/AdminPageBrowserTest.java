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
import java.time.Clock;
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
   * The lost-builds table says per loss what Jenkins did, as the relay told it: each build
   * rescheduled (its queue item) or refused (why), that no build ran on the agent, or plainly that
   * it is not known (lost before Jenkins started; not told yet). The orchestrator's requeued agent
   * is withdrawn in Jenkins and never shown.
   */
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
            new LossView("spotnest-a2", null, "agent lost at a restart", null, null),
            new LossView("spotnest-a3", "h-8", "boot on h-8 failed: timed out", T0 + 250_000, null),
            new LossView("spotnest-a4", "h-9", "host h-9 vanished", T0 + 260_000, null));
    controller.dashboard = snapshot(T0 + 300_000, losses);
    LostBuildOutcomes outcomes =
        new LostBuildOutcomes(
            Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC), LostBuildOutcomes.KEPT);
    outcomes.told(
        "spotnest-a1",
        List.of(
            new BuildOutcome("folder/app#7", Requeue.newItem(42)),
            new BuildOutcome("lib#3", Requeue.refused("a queue decision handler vetoed it"))));
    outcomes.told("spotnest-a3", List.of());
    SpotNestManagementLink told =
        new SpotNestManagementLink(() -> controller, permission -> {}, outcomes);
    assertEquals(
        4, new ObjectMapper().readTree(told.document("/api/losses").orElseThrow().json()).size());

    Document shown = shown(told, "#spotnest-losses tbody tr");

    Element table = shown.getElementById("spotnest-losses");
    assertNotNull(table, "no lost-builds table on the admin page:\n" + shown.body());
    assertEquals(
        List.of("Agent", "Host", "Reason", "Lost at, UTC", "What Jenkins did"),
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
                "folder/app#7 rescheduled as queue item 42; lib#3: Jenkins refused to reschedule"
                    + " it: a queue decision handler vetoed it"),
            List.of(
                "spotnest-a2",
                "unknown",
                "agent lost at a restart",
                "earlier run",
                "Not known: lost before Jenkins last started (the log of the build on it, if any,"
                    + " says whether Jenkins rescheduled it)"),
            List.of(
                "spotnest-a3",
                "h-8",
                "boot on h-8 failed: timed out",
                utc(T0 + 250_000),
                "No build was running on it"),
            List.of(
                "spotnest-a4",
                "h-9",
                "host h-9 vanished",
                utc(T0 + 260_000),
                "Not known yet: SpotNest has not told Jenkins of this loss")),
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

    Document shown = shown(page, "#spotnest-losses tbody tr");

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

  /** The admin page {@code of} as Chromium shows it once {@code rows} are filled. */
  private static Document shown(SpotNestManagementLink of, String rows) throws Exception {
    try (HeadlessChromium chromium =
            HeadlessChromium.start("the admin page's tables cannot be checked");
        AdminPageHarness harness = AdminPageHarness.serve(of)) {
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
