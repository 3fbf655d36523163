// The sfn web console: a hash-routed page over the service's own Step Functions API
// (POST /console/api/<Action>, the AWS JSON shapes) plus two console reads (/console/graph, /console/summary).
// Pages: state machines, one state machine, one execution (live while it runs), activities.
'use strict';

const PAGE_SIZE = 25;
const HISTORY_PAGE = 100;
const POLL_MS = 1000;

// ---- talking to the service -------------------------------------------------------------------------------
async function post(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-Sfn-Console': '1' },
    body: JSON.stringify(body || {}),
  });
  const text = await response.text();
  let data;
  try { data = text ? JSON.parse(text) : {}; } catch { data = { message: text }; }
  if (!response.ok) {
    const error = new Error(data.message || data.Message || `HTTP ${response.status}`);
    error.type = data.__type || '';
    error.status = response.status;
    throw error;
  }
  return data;
}
const api = (action, body) => post('/console/api/' + action, body);
const consoleRead = (what, body) => post('/console/' + what, body);

async function listAll(action, body, key) {
  const all = [];
  let nextToken;
  do {
    const page = await api(action, { ...body, maxResults: 1000, ...(nextToken ? { nextToken } : {}) });
    all.push(...page[key]);
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

// ---- small DOM helpers --------------------------------------------------------------------------------------
function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}
// replaceChildren without the nulls and falses that conditional parts leave.
const fill = (node, ...children) => node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
const fmtDate = (d) => (d === undefined || d === null ? '' : new Date(typeof d === 'number' ? d * 1000 : d).toLocaleString());
const statusBadge = (s) => h('span', { class: 'status ' + s }, s);
const machineLink = (arn, text) => h('a', { href: '#/statemachines/' + encodeURIComponent(arn) }, text || arn.split(':').pop());
const executionLink = (arn, text) => h('a', { href: '#/executions/' + encodeURIComponent(arn) }, text || arn.split(':').pop());
const card = (title, ...children) => h('section', { class: 'card' }, title ? h('h2', {}, title) : null, ...children);
const errorBox = (e) => h('p', { class: 'error' }, `${e.type ? e.type + ': ' : ''}${e.message}`);

function prettyJson(text) {
  if (text === undefined || text === null) return '';
  try { return JSON.stringify(typeof text === 'string' ? JSON.parse(text) : text, null, 2); } catch { return String(text); }
}

// JSON syntax highlighting: keys, strings, numbers and literals each get a class. Large documents (a Map's
// 10,000 items) stay plain text: one element per token would cost more than the rest of the page.
const HIGHLIGHT_MAX = 20000;
function highlightJson(text) {
  const pre = h('pre', { class: 'json' });
  if (text.length > HIGHLIGHT_MAX) {
    pre.textContent = text;
    return pre;
  }
  const token = /("(?:\\.|[^"\\])*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b/g;
  let last = 0;
  for (const m of text.matchAll(token)) {
    pre.append(text.slice(last, m.index));
    if (m[1]) {
      pre.append(h('span', { class: m[2] ? 'j-key' : 'j-str' }, m[1]));
      if (m[2]) pre.append(m[2]);
    } else if (m[3]) pre.append(h('span', { class: 'j-num' }, m[3]));
    else pre.append(h('span', { class: 'j-lit' }, m[4]));
    last = m.index + m[0].length;
  }
  pre.append(text.slice(last));
  return pre;
}

// A table with forward/back paging over an API that returns nextToken; `fetchPage(token)` gives {items, next}.
function pagedTable({ id, columns, fetchPage, row, empty }) {
  const body = h('tbody');
  const info = h('span', { class: 'muted' });
  const prev = h('button', { class: 'prev', disabled: true }, '‹ Newer');
  const next = h('button', { class: 'next', disabled: true }, 'Older ›');
  const tokens = [undefined];
  let page = 0;
  let latest = 0;  // a live refresh and a click may overlap: only the last request started is shown
  const load = async () => {
    const ticket = ++latest;
    try {
      const { items, next: token } = await fetchPage(tokens[page]);
      if (ticket !== latest) return;
      tokens[page + 1] = token;
      body.replaceChildren(...(items.length ? items.map(row)
        : [h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, empty || 'None'))]));
      info.textContent = `page ${page + 1}`;
      prev.disabled = page === 0;
      next.disabled = !token;
    } catch (e) {
      if (ticket === latest) body.replaceChildren(h('tr', {}, h('td', { colspan: columns.length }, errorBox(e))));
    }
  };
  prev.addEventListener('click', () => { page -= 1; load(); });
  next.addEventListener('click', () => { page += 1; load(); });
  const table = h('table', { id }, h('thead', {}, h('tr', {}, columns.map((c) => h('th', {}, c)))), body);
  return {
    node: h('div', {}, table, h('div', { class: 'pager' }, prev, next, info)),
    reload: () => { tokens.length = 1; page = 0; return load(); },
    refresh: load,
    isFirstPage: () => page === 0,
  };
}

// ---- pages --------------------------------------------------------------------------------------------------
const app = document.getElementById('app');
let current = { dispose() {} };

async function machinesPage() {
  const machines = await listAll('ListStateMachines', {}, 'stateMachines');
  const rows = await Promise.all(machines.map(async (m) => {
    const [versions, aliases, last] = await Promise.all([
      listAll('ListStateMachineVersions', { stateMachineArn: m.stateMachineArn }, 'stateMachineVersions'),
      listAll('ListStateMachineAliases', { stateMachineArn: m.stateMachineArn }, 'stateMachineAliases'),
      m.type === 'STANDARD' ? api('ListExecutions', { stateMachineArn: m.stateMachineArn, maxResults: 1 })
        : Promise.resolve({ executions: [] }),
    ]);
    const e = last.executions[0];
    return h('tr', { 'data-arn': m.stateMachineArn },
      h('td', {}, machineLink(m.stateMachineArn, m.name)), h('td', {}, m.type),
      h('td', { class: 'versions' }, versions.length), h('td', { class: 'aliases' }, aliases.length),
      h('td', { class: 'last' }, e ? [statusBadge(e.status), ' ', executionLink(e.executionArn, e.name),
        h('div', { class: 'muted' }, fmtDate(e.startDate))] : h('span', { class: 'muted' }, '—')),
      h('td', {}, fmtDate(m.creationDate)));
  }));
  app.replaceChildren(h('h1', {}, 'State machines'), card(null,
    h('table', { id: 'machines' }, h('thead', {}, h('tr', {},
      ['Name', 'Type', 'Versions', 'Aliases', 'Last execution', 'Created'].map((c) => h('th', {}, c)))),
    h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 6, class: 'muted' },
      'No state machines yet: deploy one (sfn deploy, the AWS CLI or an SDK).'))))));
}

async function drawGraph(container, definition, options) {
  const graph = await consoleRead('graph', { definition });
  return window.SfnGraph.draw(container, graph, options);
}

function startForm(machineArn) {
  const name = h('input', { type: 'text', id: 'execution-name', placeholder: 'name (optional)', size: 36 });
  const input = h('textarea', { id: 'input', spellcheck: 'false' }, '{}');
  const message = h('span', { class: 'error', id: 'start-error' });
  const start = h('button', { class: 'primary', id: 'start' }, 'Start execution');
  input.addEventListener('input', () => {
    try { JSON.parse(input.value); input.classList.remove('invalid'); message.textContent = ''; start.disabled = false; } catch (e) {
      input.classList.add('invalid'); message.textContent = 'input is not JSON: ' + e.message; start.disabled = true;
    }
  });
  start.addEventListener('click', async () => {
    start.disabled = true;
    try {
      const out = await api('StartExecution', { stateMachineArn: machineArn, input: input.value,
        ...(name.value.trim() ? { name: name.value.trim() } : {}) });
      location.hash = '#/executions/' + encodeURIComponent(out.executionArn);
    } catch (e) {
      message.textContent = `${e.type}: ${e.message}`;
      start.disabled = false;
    }
  });
  return card('Start an execution', h('div', { class: 'row' }, name), h('p', { class: 'muted' }, 'Input (JSON)'), input,
    h('div', { class: 'pager' }, start, message));
}

async function machinePage(arn) {
  const m = await api('DescribeStateMachine', { stateMachineArn: arn });
  const graphBox = h('div', { class: 'graph-box', id: 'graph' });
  const statusFilter = h('select', { id: 'status-filter' },
    ['', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']
      .map((s) => h('option', { value: s }, s || 'All statuses')));
  const executions = pagedTable({
    id: 'executions',
    columns: ['Name', 'Status', 'Started', 'Stopped'],
    empty: 'No executions',
    fetchPage: async (nextToken) => {
      const out = await api('ListExecutions', { stateMachineArn: arn, maxResults: PAGE_SIZE,
        ...(statusFilter.value ? { statusFilter: statusFilter.value } : {}), ...(nextToken ? { nextToken } : {}) });
      return { items: out.executions, next: out.nextToken };
    },
    row: (e) => h('tr', { 'data-status': e.status }, h('td', {}, executionLink(e.executionArn, e.name)),
      h('td', {}, statusBadge(e.status)), h('td', {}, fmtDate(e.startDate)), h('td', {}, fmtDate(e.stopDate))),
  });
  statusFilter.addEventListener('change', () => executions.reload());
  const [versions, aliases] = await Promise.all([
    listAll('ListStateMachineVersions', { stateMachineArn: arn }, 'stateMachineVersions'),
    listAll('ListStateMachineAliases', { stateMachineArn: arn }, 'stateMachineAliases'),
  ]);
  const aliasRows = await Promise.all(aliases.map(async (a) => {
    const d = await api('DescribeStateMachineAlias', { stateMachineAliasArn: a.stateMachineAliasArn });
    return h('tr', {}, h('td', {}, d.name), h('td', {}, (d.routingConfiguration || [])
      .map((r) => `${r.stateMachineVersionArn.split(':').pop()} → ${r.weight}%`).join(', ')), h('td', {}, fmtDate(d.creationDate)));
  }));
  app.replaceChildren(
    h('h1', {}, m.name, ' ', h('span', { class: 'muted' }, m.type)), h('div', { class: 'arn' }, arn),
    card('Graph', graphBox),
    h('div', { class: 'row' },
      card('Definition', highlightJson(prettyJson(m.definition))),
      startForm(arn)),
    card('Executions', h('div', { class: 'pager' }, statusFilter), executions.node),
    h('div', { class: 'row' },
      card('Versions', h('table', { id: 'versions' }, h('tbody', {}, versions.length ? versions.map((v) => h('tr', {},
        h('td', {}, machineLink(v.stateMachineVersionArn, 'version ' + v.stateMachineVersionArn.split(':').pop())),
        h('td', {}, fmtDate(v.creationDate)))) : h('tr', {}, h('td', { class: 'muted' }, 'No versions published'))))),
      card('Aliases', h('table', { id: 'aliases' }, h('tbody', {}, aliasRows.length ? aliasRows
        : h('tr', {}, h('td', { class: 'muted' }, 'No aliases')))))));
  await Promise.all([drawGraph(graphBox, m.definition), executions.reload()]);
}

const STATUS_NAMES = ['notstarted', 'running', 'succeeded', 'failed', 'caught', 'retried', 'aborted'];
const legend = () => h('div', { class: 'legend' }, STATUS_NAMES.map((s) =>
  h('span', {}, h('i', { 'data-status': s }), s === 'notstarted' ? 'not started' : s)));

function eventStep(e) {
  for (const [k, v] of Object.entries(e)) {
    if (k.endsWith('EventDetails') && v && typeof v === 'object' && v.name !== undefined) return v.name;
  }
  return '';
}
// An event's details, cut to a line or two; a click shows all of it.
function eventDetails(e) {
  const entry = Object.entries(e).find(([k]) => k.endsWith('EventDetails'));
  if (!entry) return '';
  const text = JSON.stringify(entry[1]);
  if (text.length <= 240) return text;
  const cell = h('span', { class: 'expandable', title: 'click to show all' }, text.slice(0, 240) + '…');
  cell.addEventListener('click', () => { cell.textContent = text; cell.classList.remove('expandable'); }, { once: true });
  return cell;
}

async function executionPage(arn) {
  let described = await api('DescribeExecution', { executionArn: arn });
  const forExecution = await api('DescribeStateMachineForExecution', { executionArn: arn });
  const graphBox = h('div', { class: 'graph-box', id: 'graph' });
  const panel = h('div', { class: 'card panel', id: 'panel' }, h('p', { class: 'muted' }, 'Click a state to see its input, output and error.'));
  const head = h('div');
  const io = h('div', { class: 'row' });
  const scopeLine = h('div', { id: 'scope-line' });
  const stop = h('button', { class: 'danger', id: 'stop' }, 'Stop');
  const redrive = h('button', { id: 'redrive' }, 'Redrive');
  const actionError = h('span', { class: 'error', id: 'action-error' });
  let selected = null;
  let scope = null;  // a Map iteration being drilled into: {key, mapState, index}
  let summary = null;
  let timer = null;
  let disposed = false;

  const history = pagedTable({
    id: 'history',
    columns: ['ID', 'Type', 'Step', 'Time', 'Details'],
    fetchPage: async (nextToken) => {
      const out = await api('GetExecutionHistory', { executionArn: arn, maxResults: HISTORY_PAGE,
        ...(nextToken ? { nextToken } : {}) });
      return { items: out.events, next: out.nextToken };
    },
    row: (e) => h('tr', { 'data-type': e.type }, h('td', {}, e.id), h('td', {}, e.type), h('td', {}, eventStep(e)),
      h('td', {}, fmtDate(e.timestamp)), h('td', { class: 'details' }, eventDetails(e))),
  });

  let shownStatus = null;
  const renderHead = () => {
    const d = described;
    const running = d.status === 'RUNNING';
    stop.disabled = !running;
    redrive.disabled = running || d.status === 'SUCCEEDED' || d.redriveStatus === 'NOT_REDRIVABLE';
    fill(head, 
      h('h1', {}, d.name, ' ', h('span', { id: 'exec-status', class: 'status ' + d.status }, d.status)),
      h('div', { class: 'arn' }, arn),
      h('p', {}, 'State machine: ', machineLink(d.stateMachineArn), ' · started ', fmtDate(d.startDate),
        d.stopDate ? [' · stopped ', fmtDate(d.stopDate)] : null,
        d.redriveCount ? ` · redriven ${d.redriveCount}×` : null),
      h('div', { class: 'pager' }, stop, redrive, actionError),
      d.error ? h('p', { class: 'error' }, `${d.error}${d.cause ? ': ' + d.cause : ''}`) : null);
    if (shownStatus === d.status) return;  // input and output change only with the status
    shownStatus = d.status;
    fill(io, card('Input', highlightJson(prettyJson(d.input))),
      card('Output', d.output !== undefined ? highlightJson(prettyJson(d.output)) : h('p', { class: 'muted' }, '—')));
  };

  const renderPanel = async () => {
    if (!selected || !summary) return;
    const s = summary.states[selected];
    const map = summary.maps[selected];
    const children = [h('h2', {}, selected), h('p', {}, 'status: ',
      h('b', { id: 'panel-status' }, s ? s.status : 'not started'), s && s.visits > 1 ? ` · ${s.visits} visits` : '')];
    if (s && s.counts && Object.keys(s.counts).length > 1) {
      children.push(h('p', { class: 'muted' }, Object.entries(s.counts).map(([k, v]) => `${k}: ${v}`).join(' · ')));
    }
    if (s && s.error !== undefined) children.push(h('p', { class: 'error', id: 'panel-error' }, `${s.error}${s.cause ? ': ' + s.cause : ''}`));
    if (s && s.input !== undefined) children.push(h('p', { class: 'muted' }, 'Input'), highlightJson(prettyJson(s.input)));
    if (s && s.output !== undefined) children.push(h('p', { class: 'muted' }, 'Output'), highlightJson(prettyJson(s.output)));
    if (map) children.push(await iterationList(selected, map));
    fill(panel, children);
  };

  // The iterations of one Map run, paged, each a drill-down into its states.
  const iterationList = async (mapState, map) => {
    const box = h('div', { id: 'iterations' });
    const statusSelect = h('select', {}, ['', 'succeeded', 'failed', 'running', 'aborted'].map((v) => h('option', { value: v }, v || 'all')));
    let offset = 0;
    const load = async () => {
      const out = await consoleRead('iterations', { executionArn: arn, mapState, offset, limit: 20,
        ...(scope ? { scope: scope.key } : {}), ...(statusSelect.value ? { status: statusSelect.value } : {}) });
      const list = h('table', {}, h('tbody', {}, out.iterations.map((it) => h('tr', {},
        h('td', {}, h('a', { href: 'javascript:void 0', onclick: () => drill({ key: it.key, mapState, index: it.index }) },
          `iteration ${it.index}`)), h('td', {}, it.status)))));
      const prev = h('button', { disabled: offset === 0, onclick: () => { offset -= 20; load(); } }, '‹');
      const next = h('button', { disabled: offset + 20 >= out.total, onclick: () => { offset += 20; load(); } }, '›');
      fill(box, h('p', {}, `${map.total} iterations: `, Object.entries(map.counts).map(([k, v]) => `${k} ${v}`).join(' · ')),
        h('div', { class: 'pager' }, 'show ', statusSelect), list,
        h('div', { class: 'pager' }, prev, next, h('span', { class: 'muted' }, `${out.total ? offset + 1 : 0}–${Math.min(offset + 20, out.total)} of ${out.total}`)));
    };
    statusSelect.addEventListener('change', () => { offset = 0; load(); });
    await load();
    return box;
  };

  const drill = (next) => { scope = next; refreshSummary().then(renderPanel); };

  const refreshSummary = async () => {
    summary = await consoleRead('summary', { executionArn: arn, ...(scope ? { scope: scope.key } : {}) });
    graph.setStatus(summary.states);
    fill(scopeLine, scope ? h('p', {}, `Showing iteration ${scope.index} of Map '${scope.mapState}' · `,
      h('a', { href: 'javascript:void 0', onclick: () => drill(null) }, 'show all iterations')) : null);
  };

  const graph = await drawGraph(graphBox, forExecution.definition, {
    onSelect: (name) => { selected = name; graph.select(name); renderPanel(); },
  });

  const action = (button, call) => button.addEventListener('click', async () => {
    button.disabled = true;
    actionError.textContent = '';
    try {
      await call();
      await tick();
    } catch (e) {
      actionError.textContent = `${e.type}: ${e.message}`;
      renderHead();
    }
  });
  action(stop, () => api('StopExecution', { executionArn: arn, error: 'Console.Stopped', cause: 'stopped from the sfn console' }));
  action(redrive, () => api('RedriveExecution', { executionArn: arn }));

  const live = document.getElementById('live');
  const tick = async () => {
    if (disposed) return;
    clearTimeout(timer);
    try {
      described = await api('DescribeExecution', { executionArn: arn });
      renderHead();
      await refreshSummary();
      await history.refresh();
      await renderPanel();
      live.textContent = described.status === 'RUNNING' ? `live · updated ${new Date().toLocaleTimeString()}` : '';
    } catch (e) {
      live.textContent = 'update failed: ' + e.message;
    }
    if (!disposed && (described.status === 'RUNNING' || described.status === 'PENDING_REDRIVE')) timer = setTimeout(tick, POLL_MS);
  };

  renderHead();
  app.replaceChildren(head, legend(), scopeLine,
    h('div', { class: 'split' }, h('section', { class: 'card graph-card' }, graphBox), panel),
    io, card('Event history', history.node));
  await tick();
  return { dispose() { disposed = true; clearTimeout(timer); live.textContent = ''; } };
}

async function activitiesPage() {
  const activities = await listAll('ListActivities', {}, 'activities');
  app.replaceChildren(h('h1', {}, 'Activities'), card(null, h('table', { id: 'activities' },
    h('thead', {}, h('tr', {}, ['Name', 'ARN', 'Created'].map((c) => h('th', {}, c)))),
    h('tbody', {}, activities.length ? activities.map((a) => h('tr', {}, h('td', {}, a.name),
      h('td', { class: 'arn' }, a.activityArn), h('td', {}, fmtDate(a.creationDate))))
      : h('tr', {}, h('td', { colspan: 3, class: 'muted' }, 'No activities'))))));
}

// ---- routing ------------------------------------------------------------------------------------------------
async function route() {
  current.dispose();
  current = { dispose() {} };
  const hash = location.hash || '#/';
  const [, page, arg] = hash.match(/^#\/([^/]*)\/?(.*)$/) || [];
  const target = decodeURIComponent(arg || '');
  document.body.dataset.page = page || 'machines';
  document.body.dataset.ready = 'false';
  try {
    let page_ = null;
    if (page === 'statemachines' && target) await machinePage(target);
    else if (page === 'executions' && target) page_ = await executionPage(target);
    else if (page === 'activities') await activitiesPage();
    else await machinesPage();
    if (page_) current = page_;
  } catch (e) {
    if (e.status === 401) {
      app.replaceChildren(h('h1', {}, 'Login required'), h('p', {}, 'Open the console URL that ',
        h('code', {}, 'sfn serve'), ' printed at start (it carries the login token).'));
    } else {
      app.replaceChildren(h('h1', {}, 'Something went wrong'), errorBox(e));
    }
  }
  document.body.dataset.ready = 'true';
}
window.addEventListener('hashchange', route);
route();
