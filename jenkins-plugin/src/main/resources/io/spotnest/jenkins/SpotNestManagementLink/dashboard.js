// Fills the admin page's migrations, savings, lost builds and pools from the same JSON documents as the dashboard (doApi).
// Data reaches the page only as text (textContent), so names, reasons and messages cannot inject markup. While the
// fleet cannot start, the summary and every table say why instead.
(function () {
  // The document of an endpoint, or an Error whose message says plainly why there is none: while the fleet cannot
  // start, api answers 503 with {"error": "<why>"}.
  function get(endpoint) {
    return fetch("api?endpoint=" + encodeURIComponent(endpoint), { credentials: "same-origin" })
      .then(function (r) {
        if (r.ok) { return r.json(); }
        return r.json().catch(function () { return null; }).then(function (body) {
          throw new Error(r.status === 503 && body && typeof body.error === "string"
            ? "The fleet cannot start: " + body.error : endpoint + ": HTTP " + r.status);
        });
      });
  }
  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = String(text);
    row.appendChild(td);
  }
  function row(values) {
    var tr = document.createElement("tr");
    values.forEach(function (v) { cell(tr, v); });
    return tr;
  }
  // One row across the whole table saying something instead of data.
  function line(tableId, text) {
    var tr = row([text]);
    tr.firstChild.colSpan = document.querySelectorAll("#" + tableId + " thead th").length;
    return tr;
  }
  // Replaces a table's rows with those rowsOf makes of an endpoint's document, or with one line saying why there
  // is none (e.g. the fleet cannot start), never leaving the table empty or stale.
  function fill(tableId, endpoint, rowsOf) {
    var body = document.querySelector("#" + tableId + " tbody");
    return get(endpoint).then(function (doc) {
      body.replaceChildren.apply(body, rowsOf(doc));
    }).catch(function (e) {
      body.replaceChildren(line(tableId, e.message));
    });
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
  // One loss of /api/losses as the table's cells: agent, host (the one that vanished, when one did: the reason
  // says), reason, lost at, and what Jenkins did with the builds on the agent (jenkins: each rescheduled build's
  // queue item or why Jenkins refused, that none ran, or why that is not known; the admin page adds it to the
  // dashboard's document). The agent the orchestrator requeued (requeuedAs) is withdrawn in Jenkins: not shown.
  function lossCells(l) {
    return [l.agent, l.host == null ? "unknown" : l.host, l.reason,
      l.atEpochMs == null ? "earlier run" : utc(l.atEpochMs), l.jenkins == null ? "Not known" : l.jenkins];
  }
  function refresh() {
    get("/api/summary").then(function (s) {
      document.getElementById("spotnest-summary").textContent = s.hosts + " hosts (" + s.spotHosts + " spot), "
        + s.agents + " agents, " + s.migrations + " migrations, longest pause " + s.maxPauseMs + " ms; cost $"
        + s.costUsd.toFixed(2) + " against $" + s.allOnDemandUsd.toFixed(2) + " all on demand ("
        + s.savingPct.toFixed(1) + "% saved)";
    }).catch(function (e) { document.getElementById("spotnest-summary").textContent = e.message; });
    fill("spotnest-migrations", "/api/migrations", function (moves) {
      return moves.map(function (m) {
        return row([m.agent, m.from, m.to, m.durationMs, m.pauseMs, m.reason]);
      });
    });
    fill("spotnest-losses", "/api/losses", function (losses) {
      if (losses.length === 0) {
        return [line("spotnest-losses", "No build lost")];
      }
      return losses.map(function (l) {
        var tr = row(lossCells(l));
        tr.dataset.agent = l.agent;
        return tr;
      });
    });
    fill("spotnest-pools", "/api/pools", function (pools) {
      return pools.map(function (p) {
        var tr = row(poolCells(p));
        tr.dataset.pool = p.pool;
        return tr;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", refresh);
  setInterval(refresh, 5000);
})();
