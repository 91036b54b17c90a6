// Agent platform dashboard: vanilla JS, no build step. Talks only to the dashboard's own API
// (/api/v1/dashboard/...) and its WebSocket of task events. Every value from the server goes
// into the page with textContent (never innerHTML), so task text cannot inject markup.
'use strict';

const API = '/api/v1/dashboard';
const TERMINAL = ['succeeded', 'failed', 'cancelled', 'dead_lettered'];
const EVENT_STATUS = {queued: 'queued', started: 'running', progress: 'running', succeeded: 'succeeded',
  failed: 'failed', cancelled: 'cancelled', dead_lettered: 'dead_lettered'};

const state = {
  csrf: null,
  user: null,
  page: 0,
  size: 25,
  total: 0,
  filters: {},
  tasks: new Map(),   // task_id -> TaskSummary shown in the list
  order: [],          // task ids, newest first
  openId: null,       // task shown in the detail panel
  logNext: 0,         // next log line offset of the open task
  lastEventId: null,  // last DashboardEvent id received (resume point)
  ws: null,
  wsRetry: 0,
  timers: [],
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

// ---------- formatting (the user's own time zone and locale) ----------
function localTime(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'medium'});
}
function timeEl(iso) {
  return iso ? el('time', {datetime: iso, text: localTime(iso)}) : document.createTextNode('–');
}
function duration(ms) {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
const usd = new Intl.NumberFormat('en-US', {style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4});
function cost(v) {
  return v === null || v === undefined ? '–' : usd.format(Number(v));
}
function statusBadge(status, id) {
  return el('span', {class: `status status-${status}`, id, text: (status || 'unknown').replace('_', ' ')});
}
function runningTime(t) {
  if (t.duration_ms !== undefined && t.duration_ms !== null) return duration(t.duration_ms);
  if (t.status === 'running' && t.started_at) return duration(Date.now() - new Date(t.started_at).getTime()) + ' so far';
  return '–';
}

// ---------- HTTP ----------
class ApiError extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
}
async function api(path, options = {}) {
  const headers = {'Accept': 'application/json'};
  if (options.body) headers['Content-Type'] = 'application/json';
  if (options.method && options.method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
  const res = await fetch(API + path, {credentials: 'same-origin', ...options, headers});
  if (res.status === 204) return null;
  let body = null;
  try { body = await res.json(); } catch (e) { /* empty or not JSON */ }
  if (!res.ok) {
    if (res.status === 401 && path !== '/session') showLogin('Your session ended; please log in again.');
    throw new ApiError(res.status, (body && body.detail) || `HTTP ${res.status}`);
  }
  return body;
}

// ---------- login ----------
function showLogin(message) {
  stopLive();
  state.csrf = null;
  $('app-view').hidden = true;
  $('user-box').hidden = true;
  $('login-view').hidden = false;
  $('login-error').textContent = message || '';
  $('connection').textContent = '';
  $('username').focus();
}

async function login(ev) {
  ev.preventDefault();
  const username = $('username').value.trim();
  const password = $('password').value;
  if (!username || !password) {
    $('login-error').textContent = 'Enter your user name and password.';
    return;
  }
  try {
    const s = await api('/session', {method: 'POST', body: JSON.stringify({username, password})});
    $('password').value = '';
    startApp(s);
  } catch (e) {
    $('login-error').textContent = e.status === 401 ? 'Wrong user name or password.' : `Login failed: ${e.message}`;
  }
}

async function logout() {
  try { await api('/session', {method: 'DELETE'}); } catch (e) { /* ended anyway */ }
  showLogin('You are logged out.');
}

function startApp(session) {
  state.csrf = session.csrf_token;
  state.user = session.username;
  $('user-name').textContent = session.username;
  $('login-view').hidden = true;
  $('app-view').hidden = false;
  $('user-box').hidden = false;
  loadTasks();
  loadHealth();
  loadQueue();
  loadCalls();
  connectEvents();
  state.timers.push(setInterval(loadHealth, 15000), setInterval(loadQueue, 10000), setInterval(loadCalls, 15000),
    setInterval(tickRunning, 1000));
  route();
}

function stopLive() {
  state.timers.forEach(clearInterval);
  state.timers = [];
  if (state.ws) { state.ws.onclose = null; state.ws.close(); state.ws = null; }
}

// ---------- task list ----------
function filterQuery() {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(state.filters)) if (v) p.set(k, v);
  p.set('page', state.page);
  p.set('size', state.size);
  return p.toString();
}

function readFilters() {
  const toIso = (v) => (v ? new Date(v).toISOString() : '');
  state.filters = {status: $('f-status').value, source: $('f-source').value, since: toIso($('f-since').value),
    until: toIso($('f-until').value), q: $('f-q').value.trim()};
}

async function loadTasks() {
  try {
    const page = await api('/tasks?' + filterQuery());
    $('tasks-error').textContent = '';
    state.tasks.clear();
    state.order = [];
    for (const t of page.items) { state.tasks.set(t.task_id, t); state.order.push(t.task_id); }
    state.total = page.total;
    renderTasks();
  } catch (e) {
    $('tasks-error').textContent = `Tasks could not be loaded: ${e.message}`;
  }
}

function renderTasks() {
  const body = $('task-rows');
  body.replaceChildren(...state.order.map((id) => taskRow(state.tasks.get(id))));
  $('tasks-empty').hidden = state.order.length > 0;
  renderPager();
}

function renderPager() {
  const pages = Math.max(1, Math.ceil(state.total / state.size));
  $('page-info').textContent = `Page ${state.page + 1} of ${pages} · ${state.total} ${state.total === 1 ? 'task' : 'tasks'}`;
  $('prev-page').disabled = state.page === 0;
  $('next-page').disabled = state.page + 1 >= pages;
}

function taskRow(t, fresh) {
  const link = el('a', {href: `#task/${encodeURIComponent(t.task_id)}`, class: 'task-link',
    text: t.input_message ? truncate(t.input_message, 90) : '(loading…)'});
  return el('tr', {'data-task-id': t.task_id, class: fresh ? 'fresh' : null},
    el('td', {'data-label': 'Task'}, link, el('span', {class: 'task-id', text: t.task_id})),
    el('td', {'data-label': 'Source', text: t.source_vendor || '–'}),
    el('td', {'data-label': 'Status'}, statusBadge(t.status)),
    el('td', {'data-label': 'Created'}, timeEl(t.created_at)),
    el('td', {'data-label': 'Duration', class: 'num duration', text: runningTime(t)}),
    el('td', {'data-label': 'Cost', class: 'num', text: cost(t.cost_usd)}));
}

function updateRow(id, fresh) {
  const t = state.tasks.get(id);
  const old = document.querySelector(`tr[data-task-id="${CSS.escape(id)}"]`);
  const row = taskRow(t, fresh);
  if (old) old.replaceWith(row);
  else $('task-rows').prepend(row);
  $('tasks-empty').hidden = true;
}

function tickRunning() {
  for (const id of state.order) {
    const t = state.tasks.get(id);
    if (t && t.status === 'running') {
      const cell = document.querySelector(`tr[data-task-id="${CSS.escape(id)}"] .duration`);
      if (cell) cell.textContent = runningTime(t);
    }
  }
}

function truncate(s, n) { return s.length > n ? s.slice(0, n - 1) + '…' : s; }

/** A new task fits the list shown when it is on the first page and passes the status/source filters. */
function fitsList(status, vendor) {
  const f = state.filters;
  return state.page === 0 && !f.q && !f.until && (!f.status || f.status === status) && (!f.source || f.source === vendor);
}

async function refreshSummary(id) {
  try {
    const d = await api(`/tasks/${encodeURIComponent(id)}`);
    if (state.tasks.has(id)) { state.tasks.set(id, d.task); updateRow(id); }
    if (state.openId === id) renderDetail(d, false);
  } catch (e) { /* the next event or reload will tell */ }
}

// ---------- live events ----------
function connectEvents() {
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  const q = state.lastEventId ? `?last_event_id=${encodeURIComponent(state.lastEventId)}` : '';
  const ws = new WebSocket(`${proto}://${location.host}${API}/events${q}`);
  const reconnecting = state.wsRetry > 0;
  state.ws = ws;
  ws.onopen = () => {
    setConnection(true);
    // nothing to resume from: whatever happened while away is only in a fresh list
    if (reconnecting && !state.lastEventId) loadTasks();
    state.wsRetry = 0;
  };
  ws.onmessage = (m) => {
    let frame;
    try { frame = JSON.parse(m.data); } catch (e) { return; }
    if (frame.kind === 'refresh') {
      state.lastEventId = null;
      loadTasks(); loadQueue();
      if (state.openId) openTask(state.openId, false);
    } else if (frame.kind === 'task_event' && frame.event) {
      state.lastEventId = frame.id;
      applyEvent(frame.event);
    }
  };
  ws.onclose = () => {
    setConnection(false);
    if (state.csrf === null) return;
    // a closed handshake may mean the session ended: check before retrying
    state.wsRetry += 1;
    const delay = Math.min(10000, 500 * 2 ** Math.min(state.wsRetry, 5));
    setTimeout(async () => {
      try { await api('/session'); connectEvents(); } catch (e) { if (e.status !== 401) setTimeout(connectEvents, delay); }
    }, delay);
  };
}

function setConnection(live) {
  const c = $('connection');
  c.className = 'connection ' + (live ? 'live' : 'down');
  c.textContent = live ? 'Live' : 'Reconnecting…';
}

function applyEvent(e) {
  const status = EVENT_STATUS[e.type] || 'queued';
  let t = state.tasks.get(e.task_id);
  if (!t) {
    if (!fitsList(status, e.source_vendor)) return;
    t = {task_id: e.task_id, status, source_vendor: e.source_vendor || 'api', input_message: '', created_at: e.at};
    state.tasks.set(e.task_id, t);
    state.order.unshift(e.task_id);
    state.total += 1;
    updateRow(e.task_id, true);
    renderPager();
    $('tasks-announce').textContent = `New task from ${t.source_vendor}`;
    refreshSummary(e.task_id);
  } else if (t.status !== status || e.type !== 'progress') {
    t.status = status;
    if (e.type === 'started' && !t.started_at) t.started_at = e.at;
    if (e.cost_usd !== undefined) t.cost_usd = e.cost_usd;
    updateRow(e.task_id);
    if (TERMINAL.includes(status)) {
      $('tasks-announce').textContent = `Task ${truncate(t.input_message || e.task_id, 40)} ${status.replace('_', ' ')}`;
      refreshSummary(e.task_id);
    }
  }
  if (state.openId === e.task_id) applyEventToDetail(e, status, t);
}

function applyEventToDetail(e, status, t) {
  const badge = $('detail-status');
  badge.className = `status status-${status}`;
  badge.textContent = status.replace('_', ' ');
  updateActions(status);
  if (e.type === 'progress') {
    if (e.log_seq === undefined || e.log_seq === null) { fetchLog(); return; }
    if (e.log_seq >= state.logNext) {
      if (e.log_seq > state.logNext) { fetchLog(); return; } // a gap: read it from the agent
      appendLog([{seq: e.log_seq, at: e.at, stream: 'stdout', text: e.message}]);
      state.logNext = e.log_seq + 1;
    }
  } else {
    $('detail-history').append(historyItem({status: e.type, at: e.at, message: e.message}));
    if (TERMINAL.includes(status)) {
      fetchLog();
      // the duration shown while running ("… so far") stops at the terminal event
      if (t && t.started_at) $('detail-duration').textContent = duration(new Date(e.at) - new Date(t.started_at));
    }
  }
}

// ---------- detail ----------
function route() {
  const m = location.hash.match(/^#task\/(.+)$/);
  if (m) openTask(decodeURIComponent(m[1]), true);
  else closeDetail();
}

async function openTask(id, focus) {
  state.openId = id;
  $('detail').hidden = false;
  $('tasks').hidden = true;
  $('action-status').textContent = '';
  try {
    const d = await api(`/tasks/${encodeURIComponent(id)}`);
    if (state.openId !== id) return;
    renderDetail(d, true);
    if (focus) $('detail-title').focus();
  } catch (e) {
    $('detail-title').textContent = `Task ${id}`;
    $('action-status').textContent = e.status === 404 ? 'No such task.' : `The task could not be loaded: ${e.message}`;
  }
}

function closeDetail() {
  const wasOpen = state.openId;
  state.openId = null;
  $('detail').hidden = true;
  $('tasks').hidden = false;
  if (wasOpen) {
    const link = document.querySelector(`tr[data-task-id="${CSS.escape(wasOpen)}"] a`);
    if (link) link.focus();
  }
}

function renderDetail(d, withLog) {
  const t = d.task;
  $('detail-title').textContent = `Task ${truncate(t.input_message || t.task_id, 60)}`;
  $('detail-status').replaceWith(statusBadge(t.status, 'detail-status'));
  const src = $('detail-source');
  src.replaceChildren(t.source_url ? el('a', {href: t.source_url, rel: 'noopener noreferrer', target: '_blank', text: `${t.source_vendor} ↗`})
    : document.createTextNode(t.source_vendor));
  $('detail-user').textContent = t.user_id;
  $('detail-created').replaceChildren(timeEl(t.created_at));
  $('detail-duration').textContent = runningTime(t);
  $('detail-cost').textContent = cost(t.cost_usd);
  $('detail-attempts').textContent = String(t.attempts);
  $('detail-model').textContent = [t.model, t.runner].filter(Boolean).join(' / ') || '–';
  $('detail-correlation').textContent = t.correlation_id || '–';
  $('detail-input').textContent = t.input_message;
  const outcome = t.error || t.result;
  $('detail-outcome').hidden = !outcome;
  $('detail-outcome-title').textContent = t.error ? 'Error' : 'Result';
  $('detail-result').textContent = outcome || '';
  $('detail-history').replaceChildren(...d.history.map(historyItem));
  updateActions(t.status);
  if (withLog) {
    $('detail-log').replaceChildren();
    state.logNext = 0;
    appendLog(d.log.lines);
    state.logNext = d.log.next_offset;
    if (!d.log.complete && d.log.lines.length >= 200) fetchLog();
  }
  const calls = $('detail-calls');
  calls.replaceChildren(...(d.calls.length ? d.calls.map(callItem) : [el('li', {class: 'muted', text: 'None recorded.'})]));
}

function historyItem(h) {
  return el('li', {}, el('strong', {text: h.status.replace('_', ' ')}), ' · ', timeEl(h.at), h.message ? ` — ${h.message}` : '');
}

function appendLog(lines) {
  const log = $('detail-log');
  const stick = log.scrollTop + log.clientHeight >= log.scrollHeight - 20;
  for (const l of lines) {
    log.append(el('span', {class: l.stream, 'data-seq': l.seq, text: l.text + '\n'}));
  }
  if (stick) log.scrollTop = log.scrollHeight;
}

let logFetching = false;
async function fetchLog() {
  const id = state.openId;
  if (!id || logFetching) return;
  logFetching = true;
  try {
    for (;;) {
      const page = await api(`/tasks/${encodeURIComponent(id)}/logs?offset=${state.logNext}`);
      if (state.openId !== id) return;
      appendLog(page.lines.filter((l) => l.seq >= state.logNext));
      state.logNext = Math.max(state.logNext, page.next_offset);
      if (page.complete || page.lines.length === 0) break;
    }
  } catch (e) { /* retried on the next event */ } finally { logFetching = false; }
}

function updateActions(status) {
  $('cancel-btn').disabled = !(status === 'running' || status === 'queued');
  $('retry-btn').disabled = !(status === 'failed' || status === 'cancelled');
}

async function act(kind) {
  const id = state.openId;
  const out = $('action-status');
  out.textContent = kind === 'cancel' ? 'Cancelling…' : 'Retrying…';
  try {
    const r = await api(`/tasks/${encodeURIComponent(id)}/${kind}`, {method: 'POST'});
    out.textContent = r.message;
  } catch (e) {
    out.textContent = `${kind === 'cancel' ? 'Cancel' : 'Retry'} failed: ${e.message}`;
  }
}

// ---------- health, queue, calls ----------
async function loadHealth() {
  try {
    const r = await api('/health');
    $('health-list').replaceChildren(...r.components.map((c) => el('li', {'data-component': c.name},
      el('span', {class: 'name', text: c.name}), statusBadge(c.status),
      el('span', {class: 'meta', text: [c.version ? `v${c.version}` : null, c.latency_ms !== undefined ? `${c.latency_ms} ms` : null,
        c.detail, `checked ${localTime(c.checked_at)}`].filter(Boolean).join(' · ')}))));
  } catch (e) {
    $('health-list').replaceChildren(el('li', {class: 'error', text: `Health unknown: ${e.message}`}));
  }
}

async function loadQueue() {
  try {
    const q = await api('/queue?size=20');
    $('queue-error').textContent = '';
    $('queue-depth').textContent = q.queue_depth;
    $('queue-inflight').textContent = q.in_flight ?? '–';
    $('queue-dead').textContent = q.dead_letter_count;
    $('dead-letters').replaceChildren(...(q.dead_letters.length ? q.dead_letters.map(deadLetterItem)
      : [el('li', {class: 'muted', text: 'None.'})]));
  } catch (e) {
    $('queue-error').textContent = `Queue unknown: ${e.message}`;
  }
}

function deadLetterItem(d) {
  return el('li', {'data-task-id': d.task_id},
    el('div', {}, el('a', {href: `#task/${encodeURIComponent(d.task_id)}`, text: truncate(d.input_message || d.task_id, 70)})),
    el('div', {class: 'muted', text: `${d.reason} · ${d.attempts} attempts · ${localTime(d.failed_at)}`}),
    el('button', {type: 'button', class: 'small', text: 'Requeue', 'aria-label': `Requeue ${d.task_id}`, onclick: () => requeue(d.task_id)}));
}

async function requeue(id) {
  const out = $('queue-status');
  try {
    const r = await api(`/dead-letters/${encodeURIComponent(id)}/requeue`, {method: 'POST'});
    out.textContent = `${r.message}: ${id}`;
    loadQueue();
  } catch (e) {
    out.textContent = `Requeue failed: ${e.message}`;
  }
}

async function loadCalls() {
  try {
    const dry = $('calls-dry').checked ? '&dry_run=true' : '';
    const p = await api(`/calls?size=15${dry}`);
    $('calls-list').replaceChildren(...(p.items.length ? p.items.map(callItem) : [el('li', {class: 'muted', text: 'None recorded.'})]));
  } catch (e) {
    $('calls-list').replaceChildren(el('li', {class: 'error', text: `Calls unknown: ${e.message}`}));
  }
}

function callItem(c) {
  const head = el('div', {}, c.dry_run ? el('span', {class: 'dry', text: 'DRY RUN'}) : null, c.dry_run ? ' ' : null,
    el('strong', {text: `${c.service} · ${c.operation}`}), ` ${c.method} `, el('span', {class: 'mono', text: c.url}));
  const meta = el('div', {class: 'muted', text: [localTime(c.created_at), c.status_code ? `HTTP ${c.status_code}` : null,
    c.duration_ms !== undefined ? duration(c.duration_ms) : null, c.error].filter(Boolean).join(' · ')});
  const li = el('li', {}, head, meta);
  if (c.request_body) {
    li.append(el('details', {}, el('summary', {text: c.dry_run ? 'What would have been sent' : 'What was sent'}),
      el('pre', {text: c.request_body})));
  }
  return li;
}

// ---------- wiring ----------
document.addEventListener('DOMContentLoaded', async () => {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  $('filters').addEventListener('submit', (e) => { e.preventDefault(); readFilters(); state.page = 0; loadTasks(); });
  $('filters').addEventListener('reset', () => setTimeout(() => { readFilters(); state.page = 0; loadTasks(); }));
  $('prev-page').addEventListener('click', () => { state.page = Math.max(0, state.page - 1); loadTasks(); });
  $('next-page').addEventListener('click', () => { state.page += 1; loadTasks(); });
  $('cancel-btn').addEventListener('click', () => act('cancel'));
  $('retry-btn').addEventListener('click', () => act('retry'));
  $('close-detail').addEventListener('click', (e) => { e.preventDefault(); history.pushState(null, '', location.pathname); route(); });
  $('health-refresh').addEventListener('click', loadHealth);
  $('calls-dry').addEventListener('change', loadCalls);
  window.addEventListener('hashchange', () => { if (state.csrf) route(); });
  try {
    startApp(await api('/session'));
  } catch (e) {
    showLogin();
  }
});
