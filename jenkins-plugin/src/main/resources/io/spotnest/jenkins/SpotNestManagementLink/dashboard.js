// Fills the admin page's migrations, savings, lost builds and pools from the same JSON documents as the dashboard (doApi).
// Data reaches the page only as text (textContent), so names and closure reasons cannot inject markup.
(function () {
  function get(endpoint) {
    return fetch("api?endpoint=" + encodeURIComponent(endpoint), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(endpoint + ": HTTP " + r.status); } return r.json(); });
  }
  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = String(text);
    row.appendChild(td);
  }
  function utc(t) {
    return new Date(t).toISOString().slice(0, 16).replace("T", " ");
  }
  function at(t) {
    return t == null ? "\u2013" : utc(t);
  }
  // What closed a pool, as the dashboard names each kind of /api/pools (an unknown kind is shown as sent).
  var CLOSURE_KINDS = {
    "launch-failed": "launch failed",
    "no-capacity": "no capacity",
    "unsupported": "unsupported",
    "quota": "quota reached",
    "burst-drain": "burst drain"
  };
  function kind(p) {
    return p.kind == null ? "\u2013" : CLOSURE_KINDS.hasOwnProperty(p.kind) ? CLOSURE_KINDS[p.kind] : p.kind;
  }
  // One pool of /api/pools as the table's cells: pool, state, kind, reason, since, reopens, agents leave by,
  // risk.
  function poolCells(p) {
    var since = p.sinceEpochMs != null ? utc(p.sinceEpochMs) : p.state === "open" ? "\u2013" : "earlier run";
    return [p.pool, p.state, kind(p), p.reason == null ? "\u2013" : p.reason, since, at(p.untilEpochMs),
      at(p.drainByEpochMs), p.risk == null ? "\u2013" : (p.risk * 100).toFixed(1) + "%"];
  }
  // What became of a lost build in Jenkins: BuildLogRelay reschedules each build that ran on the agent (or
  // says in its log that Jenkins refused), and the agent the orchestrator requeued (/api/losses requeuedAs)
  // is withdrawn, so it is not shown.
  var JENKINS_RESCHEDULES = "Jenkins rescheduled the build running on it, if any, unless it refused: "
    + "that build's log says which";
  // One loss of /api/losses as the table's cells: agent, host (the one that vanished, when one did: the reason
  // says), reason, lost at, build.
  function lossCells(l) {
    return [l.agent, l.host == null ? "unknown" : l.host, l.reason,
      l.atEpochMs == null ? "earlier run" : utc(l.atEpochMs), JENKINS_RESCHEDULES];
  }
  function refresh() {
    get("/api/summary").then(function (s) {
      document.getElementById("spotnest-summary").textContent = s.hosts + " hosts (" + s.spotHosts + " spot), "
        + s.agents + " agents, " + s.migrations + " migrations, longest pause " + s.maxPauseMs + " ms; cost $"
        + s.costUsd.toFixed(2) + " against $" + s.allOnDemandUsd.toFixed(2) + " all on demand ("
        + s.savingPct.toFixed(1) + "% saved)";
    }).catch(function (e) { document.getElementById("spotnest-summary").textContent = e.message; });
    get("/api/migrations").then(function (moves) {
      var body = document.querySelector("#spotnest-migrations tbody");
      body.replaceChildren();
      moves.forEach(function (m) {
        var row = document.createElement("tr");
        [m.agent, m.from, m.to, m.durationMs, m.pauseMs, m.reason].forEach(function (v) { cell(row, v); });
        body.appendChild(row);
      });
    });
    get("/api/losses").then(function (losses) {
      var body = document.querySelector("#spotnest-losses tbody");
      body.replaceChildren();
      losses.forEach(function (l) {
        var row = document.createElement("tr");
        row.dataset.agent = l.agent;
        lossCells(l).forEach(function (v) { cell(row, v); });
        body.appendChild(row);
      });
      if (losses.length === 0) {
        var none = document.createElement("tr");
        cell(none, "No build lost");
        none.firstChild.colSpan = 5;
        body.appendChild(none);
      }
    });
    get("/api/pools").then(function (pools) {
      var body = document.querySelector("#spotnest-pools tbody");
      body.replaceChildren();
      pools.forEach(function (p) {
        var row = document.createElement("tr");
        row.dataset.pool = p.pool;
        poolCells(p).forEach(function (v) { cell(row, v); });
        body.appendChild(row);
      });
    });
  }
  document.addEventListener("DOMContentLoaded", refresh);
  setInterval(refresh, 5000);
})();
