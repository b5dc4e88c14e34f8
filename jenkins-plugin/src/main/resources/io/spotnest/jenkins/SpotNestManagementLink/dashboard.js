// Fills the admin page's migrations and savings from the same JSON documents as the dashboard (doApi).
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
  }
  document.addEventListener("DOMContentLoaded", refresh);
  setInterval(refresh, 5000);
})();
