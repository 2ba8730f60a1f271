// The operator page: a thin client of /api/v1/admin/* and /api/v1/events/{id}. The bearer token
// from /api/v1/auth/login lives in sessionStorage (gone when the tab closes); every value from the
// API is written with textContent, never as HTML.
'use strict';

const TOKEN_KEY = 'realty.admin.token';
const REFRESH_MS = 5000;
let refreshTimer = null;

const $ = (id) => document.getElementById(id);

function token() { return sessionStorage.getItem(TOKEN_KEY); }

async function api(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (token()) headers['Authorization'] = 'Bearer ' + token();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const data = text ? JSON.parse(text) : {};
  if (response.status === 401) {
    logout('Your session ended; log in again.');
    throw new Error('unauthorized');
  }
  if (!response.ok) {
    throw new Error((data.title || response.status) + (data.detail ? ': ' + data.detail : ''));
  }
  return data;
}

function say(text, isError) {
  const m = $('message');
  m.textContent = text;
  m.className = isError ? 'error' : '';
}

function cell(row, value, className) {
  const td = document.createElement('td');
  td.textContent = value === null || value === undefined ? '–' : String(value);
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function badge(row, status) {
  const td = document.createElement('td');
  const span = document.createElement('span');
  span.className = 'badge status ' + status;
  span.textContent = status;
  td.appendChild(span);
  row.appendChild(td);
}

function age(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds < 120) return Math.round(seconds) + ' s';
  if (seconds < 7200) return Math.round(seconds / 60) + ' min';
  return Math.round(seconds / 3600) + ' h';
}

async function loadQueues() {
  const report = await api('GET', '/api/v1/admin/queues');
  const overall = $('overall-status');
  overall.textContent = report.status;
  overall.className = 'badge ' + report.status;
  $('checked-at').textContent = new Date(report.checkedAt).toLocaleTimeString();
  $('outbox-pending').textContent = report.outbox.pending;
  $('outbox-oldest').textContent = age(report.outbox.oldestPendingAgeSeconds);
  $('broker-error').textContent = report.brokerError ? 'broker: ' + report.brokerError : '';
  const body = document.querySelector('#queues tbody');
  body.replaceChildren();
  const select = $('dlq-filter');
  for (const q of report.queues || []) {
    const row = document.createElement('tr');
    row.dataset.queue = q.queue;
    row.dataset.status = q.status;
    cell(row, q.queue);
    badge(row, q.status);
    cell(row, q.ready, 'num ready');
    cell(row, q.unacknowledged, 'num');
    cell(row, q.consumers, 'num');
    cell(row, age(q.oldestMessageAgeSeconds), 'num');
    cell(row, q.retrying, 'num');
    cell(row, q.processedLast5m, 'num');
    cell(row, q.failedLast5m, 'num');
    cell(row, q.p95ProcessingMs === null || q.p95ProcessingMs === undefined ? null : q.p95ProcessingMs.toFixed(1), 'num');
    cell(row, q.deadLetter.ready, 'num dlq');
    cell(row, (q.reasons || []).join('; '));
    body.appendChild(row);
    if (![...select.options].some(o => o.value === q.queue)) {
      const option = document.createElement('option');
      option.value = q.queue;
      option.textContent = q.queue;
      select.appendChild(option);
    }
  }
}

async function loadDeadLetters() {
  const queue = $('dlq-filter').value;
  const list = await api('GET', '/api/v1/admin/dead-letters' + (queue ? '?queue=' + encodeURIComponent(queue) : ''));
  const body = document.querySelector('#dead-letters tbody');
  body.replaceChildren();
  const items = list.items || [];
  for (const d of items) {
    const row = document.createElement('tr');
    row.dataset.id = d.id;
    row.dataset.queue = d.workQueue;
    cell(row, d.queue);
    cell(row, d.id, 'id');
    cell(row, d.eventType);
    cell(row, d.failureKind);
    cell(row, d.attempts, 'num');
    cell(row, d.error, 'error');
    cell(row, d.lastFailureAt);
    cell(row, d.replayCount, 'num');
    const actions = document.createElement('td');
    const replay = document.createElement('button');
    replay.type = 'button';
    replay.className = 'replay';
    replay.textContent = 'Replay';
    replay.addEventListener('click', () => act('POST', d, 'replay'));
    const discard = document.createElement('button');
    discard.type = 'button';
    discard.className = 'discard';
    discard.textContent = 'Discard';
    discard.addEventListener('click', () => {
      if (confirm('Discard ' + d.id + ' from ' + d.queue + ' for good?')) act('DELETE', d, 'discard');
    });
    actions.append(replay, ' ', discard);
    row.appendChild(actions);
    body.appendChild(row);
  }
  $('no-dead-letters').hidden = items.length > 0;
  $('replay-all').disabled = !queue || items.length === 0;
}

async function loadActions() {
  const list = await api('GET', '/api/v1/admin/dead-letters/actions?limit=10');
  const body = document.querySelector('#actions tbody');
  body.replaceChildren();
  for (const a of list.items || []) {
    const row = document.createElement('tr');
    cell(row, new Date(a.startedAt).toLocaleString());
    cell(row, a.action);
    cell(row, a.queue);
    cell(row, a.messageId || a.filter);
    cell(row, a.actor);
    badge(row, a.status);
    cell(row, a.affected, 'num');
    body.appendChild(row);
  }
}

async function act(method, deadLetter, verb) {
  const path = '/api/v1/admin/dead-letters/' + encodeURIComponent(deadLetter.id)
      + (verb === 'replay' ? '/replay' : '') + '?queue=' + encodeURIComponent(deadLetter.workQueue);
  try {
    const result = await api(method, path);
    say((verb === 'replay' ? 'Replayed ' : 'Discarded ') + (result.messages || []).length + ' message(s): ' + deadLetter.id);
  } catch (e) {
    say(verb + ' failed: ' + e.message, true);
  }
  await refresh();
}

async function replayAll() {
  const queue = $('dlq-filter').value;
  if (!queue || !confirm('Replay every dead letter of ' + queue + '?')) return;
  try {
    const result = await api('POST', '/api/v1/admin/dead-letters/replay', { queue });
    say('Replayed ' + (result.messages || []).length + ' message(s) of ' + queue);
  } catch (e) {
    say('replay failed: ' + e.message, true);
  }
  await refresh();
}

async function lookUpEvent(event) {
  event.preventDefault();
  const id = $('event-id').value.trim();
  try {
    const e = await api('GET', '/api/v1/events/' + encodeURIComponent(id));
    $('event-type').textContent = e.type;
    $('event-status').textContent = e.status;
    $('event-status').className = 'badge ' + e.status;
    $('event-occurred').textContent = e.occurredAt;
    $('event-correlation').textContent = e.correlationId || '–';
    $('event-company').textContent = e.companyId || '–';
    const body = document.querySelector('#event-consumers tbody');
    body.replaceChildren();
    for (const c of e.consumers || []) {
      const row = document.createElement('tr');
      cell(row, c.consumer);
      badge(row, c.status);
      cell(row, c.attempts, 'num');
      cell(row, c.processedAt);
      cell(row, c.durationMs === null || c.durationMs === undefined ? null : c.durationMs.toFixed(1), 'num');
      cell(row, c.lastError, 'error');
      body.appendChild(row);
    }
    $('event-result').hidden = false;
    say('');
  } catch (e) {
    $('event-result').hidden = true;
    say('event ' + id + ': ' + e.message, true);
  }
}

async function refresh() {
  try {
    await Promise.all([loadQueues(), loadDeadLetters(), loadActions()]);
  } catch (e) {
    if (e.message !== 'unauthorized') say('refresh failed: ' + e.message, true);
  }
}

function showApp(loggedIn) {
  $('login-section').hidden = loggedIn;
  $('app').hidden = !loggedIn;
  $('session').hidden = !loggedIn;
  clearInterval(refreshTimer);
  if (loggedIn) {
    $('who').textContent = sessionStorage.getItem(TOKEN_KEY + '.user') || '';
    refresh();
    refreshTimer = setInterval(refresh, REFRESH_MS);
  }
}

function logout(reason) {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(TOKEN_KEY + '.user');
  showApp(false);
  $('login-error').textContent = reason || '';
}

async function login(event) {
  event.preventDefault();
  const username = $('username').value;
  try {
    const response = await fetch('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify({ username, password: $('password').value })
    });
    const data = await response.json();
    if (!response.ok) throw new Error(data.detail || data.title || response.status);
    sessionStorage.setItem(TOKEN_KEY, data.access_token);
    sessionStorage.setItem(TOKEN_KEY + '.user', username);
    $('password').value = '';
    $('login-error').textContent = '';
    showApp(true);
  } catch (e) {
    $('login-error').textContent = 'login failed: ' + e.message;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', () => logout());
  $('refresh').addEventListener('click', refresh);
  $('dlq-filter').addEventListener('change', refresh);
  $('replay-all').addEventListener('click', replayAll);
  $('event-form').addEventListener('submit', lookUpEvent);
  showApp(!!token());
});
