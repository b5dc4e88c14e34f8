// SpotNest dashboard: polls the JSON endpoints every 2 s and renders them. Data reaches the DOM only through
// textContent (never innerHTML), so host, agent or pool names and closure reasons cannot inject markup.
'use strict';

const POLL_MS = 2000;
const COLORS = ['#1565c0', '#c62828', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#5d4037', '#ad1457'];
let riskChart = null;
let migrationChart = null;
let updates = 0;
let closedPools = []; // the pools closed or draining, as /api/pools last said: shaded on the risk chart

const pct = x => (x * 100).toFixed(1) + '%';
const usd = x => '$' + x.toFixed(2);
const ms = x => x.toLocaleString('en-US') + ' ms';
const utc = t => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
const utcSec = t => new Date(t).toISOString().slice(11, 19);

function text(id, value) {
  document.getElementById(id).textContent = value;
}

function cell(row, value, cls) {
  const td = document.createElement('td');
  td.textContent = value;
  if (cls) td.className = cls;
  row.appendChild(td);
  return td;
}

function fill(tableId, items, columns, emptyText, key) {
  const body = document.querySelector('#' + tableId + ' tbody');
  body.replaceChildren();
  if (items.length === 0) {
    const row = document.createElement('tr');
    const td = cell(row, emptyText, 'empty');
    td.colSpan = columns.length;
    body.appendChild(row);
    return;
  }
  for (const item of items) {
    const row = document.createElement('tr');
    row.dataset.key = key(item);
    for (const [name, value, cls] of columns) {
      cell(row, value(item), typeof cls === 'function' ? cls(item) : cls).dataset.k = name;
    }
    body.appendChild(row);
  }
}

function renderSummary(s) {
  text('source', s.source);
  text('as-of', utc(s.asOfEpochMs));
  text('sum-hosts', s.hosts);
  text('sum-spot', s.spotHosts);
  text('sum-ondemand', s.onDemandHosts);
  text('sum-agents', s.agents);
  text('sum-max-risk', pct(s.maxRisk));
  text('sum-pools', s.pools);
  text('sum-pool-states', s.poolsClosed + ' closed · ' + s.poolsDraining + ' draining');
  text('sum-migrations', s.migrations);
  text('sum-max-pause', ms(s.maxPauseMs));
  text('sum-saving', s.allOnDemandUsd > 0 ? s.savingPct.toFixed(1) + '%' : 'n/a');
  text('sum-cost', usd(s.costUsd));
  text('sum-ondemand-cost', usd(s.allOnDemandUsd));
  const notes = document.getElementById('notes');
  notes.replaceChildren(...s.notes.map(n => {
    const li = document.createElement('li');
    li.textContent = n;
    return li;
  }));
  notes.hidden = s.notes.length === 0;
}

// What closed a pool, as the table names each kind of /api/pools (an unknown kind is shown as sent).
const CLOSURE_KINDS = new Map([
  ['launch-failed', 'launch failed'], ['no-capacity', 'no capacity'], ['unsupported', 'unsupported'],
  ['quota', 'quota reached'], ['burst-drain', 'burst drain'],
]);

// Why no spot host may be launched: each pool's state, what closed it and the journaled reason, since and
// until when.
function renderPools(pools) {
  const at = t => t == null ? '–' : utc(t);
  fill('pool-states', pools, [
    ['pool', p => p.pool], ['state', p => p.state, p => 'state-' + p.state],
    ['kind', p => p.kind == null ? '–' : CLOSURE_KINDS.get(p.kind) ?? p.kind], ['reason', p => p.reason ?? '–'],
    ['since', p => p.sinceEpochMs != null ? utc(p.sinceEpochMs) : p.state === 'open' ? '–' : 'earlier run', 'time'],
    ['until', p => at(p.untilEpochMs), 'time'], ['leave-by', p => at(p.drainByEpochMs), 'time'],
    ['risk', p => p.risk == null ? '–' : pct(p.risk), 'num'],
  ], 'no pool states from this source', p => p.pool);
  closedPools = pools.filter(p => p.state !== 'open');
}

// Shades each closed or draining pool on the risk chart in its line's colour (lighter when closed, darker
// when draining), from its closure (the chart's start when unknown) to its reopening or the chart's end, and
// names it at the top. Canvas text is not markup, so pool names cannot inject anything here either.
const closureBands = {
  id: 'closureBands',
  beforeDatasetsDraw(chart) {
    const {ctx, chartArea: area, scales: {x}} = chart;
    ctx.save();
    ctx.font = '11px "DejaVu Sans", sans-serif';
    ctx.textBaseline = 'top';
    closedPools.forEach((p, k) => {
      const line = chart.data.datasets.find(d => d.label === p.pool);
      const colour = line ? line.borderColor : '#5b6577';
      const from = Math.max(area.left, p.sinceEpochMs == null ? area.left : x.getPixelForValue(p.sinceEpochMs));
      const to = Math.min(area.right, p.untilEpochMs == null ? area.right : x.getPixelForValue(p.untilEpochMs));
      if (!(to > from)) return;
      ctx.globalAlpha = p.state === 'draining' ? 0.3 : 0.15;
      ctx.fillStyle = colour;
      ctx.fillRect(from, area.top, to - from, area.bottom - area.top);
      ctx.globalAlpha = 1;
      ctx.fillText(p.pool + ' ' + p.state, from + 4, area.top + 4 + 14 * k);
    });
    ctx.restore();
  },
};

function renderRisk(pools) {
  fill('pools', pools, [
    ['pool', p => p.pool], ['zone', p => p.zone],
    ['latest', p => pct(p.points.length ? p.points[p.points.length - 1].risk : 0), 'num'],
    ['peak', p => pct(p.points.reduce((m, q) => Math.max(m, q.risk), 0)), 'num'],
    ['points', p => p.points.length, 'num'],
  ], 'no spot pools', p => p.pool);
  text('risk-horizon', pools.length ? '(P(reclaim within ' + pools[0].horizonMinutes + ' min))' : '');
  // Each pool is one line through its points, whatever the intervals between them (a source ticks
  // unevenly); it breaks only where the source says the pool had no value (breakAfterMs > 0).
  const datasets = pools.map((p, i) => ({
    label: p.pool,
    data: p.points.map(q => ({x: q.atEpochMs, y: q.risk})),
    borderColor: COLORS[i % COLORS.length],
    backgroundColor: COLORS[i % COLORS.length],
    borderWidth: 1.5, pointRadius: 0, tension: 0,
    spanGaps: p.breakAfterMs > 0 ? p.breakAfterMs : true,
  }));
  if (!riskChart) {
    riskChart = new Chart(document.getElementById('risk-chart'), {
      type: 'line',
      data: {datasets},
      plugins: [closureBands],
      options: {
        animation: false, maintainAspectRatio: false, parsing: false, normalized: true,
        scales: {
          x: {type: 'linear', bounds: 'data', ticks: {callback: v => utc(v), maxTicksLimit: 8}},
          y: {min: 0, max: 1, ticks: {callback: v => pct(v)}},
        },
        plugins: {tooltip: {callbacks: {title: items => utc(items[0].parsed.x) + ' UTC',
          label: item => item.dataset.label + ': ' + pct(item.parsed.y)}}},
      },
    });
  } else {
    riskChart.data.datasets = datasets;
    riskChart.update('none');
  }
}

function renderMigrations(migrations) {
  fill('migrations', migrations, [
    ['agent', m => m.agent], ['from', m => m.from], ['to', m => m.to],
    ['start', m => utc(m.startEpochMs) + ':' + utcSec(m.startEpochMs).slice(6)],
    ['duration', m => ms(m.durationMs), 'num'], ['pause', m => ms(m.pauseMs), 'num'], ['reason', m => m.reason],
  ], 'no migrations', m => m.agent + '@' + m.startEpochMs);
  document.getElementById('migration-chart').parentElement.hidden = migrations.length === 0;
  const agents = [...new Set(migrations.map(m => m.agent))];
  const datasets = [
    {label: 'migrating', backgroundColor: '#90caf9',
      data: migrations.map(m => ({y: m.agent, x: [m.startEpochMs, m.startEpochMs + m.durationMs]}))},
    {label: 'paused', backgroundColor: '#0d47a1', minBarLength: 3, // a sub-second pause stays visible
      data: migrations.map(m => ({y: m.agent, x: [m.startEpochMs + m.durationMs - m.pauseMs,
        m.startEpochMs + m.durationMs]}))},
  ];
  if (!migrationChart) {
    migrationChart = new Chart(document.getElementById('migration-chart'), {
      type: 'bar',
      data: {labels: agents, datasets},
      options: {
        indexAxis: 'y', animation: false, maintainAspectRatio: false,
        // a bar chart's value axis starts at zero (1970) unless told otherwise: fit it to the moves
        scales: {x: {type: 'linear', beginAtZero: false, ticks: {callback: v => utcSec(v)}},
          y: {stacked: true}},
        plugins: {tooltip: {callbacks: {label: item => item.dataset.label + ': '
          + ms(item.raw.x[1] - item.raw.x[0])}}},
      },
    });
  } else {
    migrationChart.data.labels = agents;
    migrationChart.data.datasets = datasets;
    migrationChart.update('none');
  }
}

async function getJson(path) {
  const r = await fetch(path, {credentials: 'same-origin', cache: 'no-store'});
  if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
  return r.json();
}

async function refresh() {
  try {
    const [summary, hosts, agents, risk, pools, migrations] = await Promise.all(
      ['/api/summary', '/api/hosts', '/api/agents', '/api/risk', '/api/pools', '/api/migrations'].map(getJson));
    renderSummary(summary);
    fill('hosts', hosts, [
      ['id', h => h.id], ['market', h => h.market === 'SPOT' ? 'spot' : 'on demand'], ['pool', h => h.pool],
      ['zone', h => h.zone], ['risk', h => pct(h.risk), 'num'], ['agents', h => h.agents.join(', ') || '–'],
    ], 'no hosts from this source', h => h.id);
    fill('agents', agents, [
      ['id', a => a.id], ['state', a => a.state], ['host', a => a.host || '–'],
      ['steps', a => a.buildSteps, 'num'],
    ], 'no agents from this source', a => a.id);
    renderPools(pools);
    renderRisk(risk);
    renderMigrations(migrations);
    updates++;
    const status = document.getElementById('status');
    status.textContent = 'live · update ' + updates + ' at ' + new Date().toISOString().slice(11, 19) + ' UTC';
    status.className = 'status ok';
    document.body.dataset.updates = updates;
  } catch (e) {
    const status = document.getElementById('status');
    status.textContent = 'update failed: ' + e.message + ' (retrying)';
    status.className = 'status err';
  } finally {
    setTimeout(refresh, POLL_MS);
  }
}

refresh();
