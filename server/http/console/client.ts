/**
 * The web console's browser script, as text served inside the page: editors with completion of branch names,
 * running func_adl (POST /query) and SQL (POST /sql), results as a table or a histogram drawn by the server's
 * plotting, explain, and a HistFactory panel (fit, CLs, upper limit through the SQL table functions).
 * Plain ES2020 for any current browser; no template literals, so it can live in this string.
 */
export const CLIENT_SCRIPT = String.raw`
'use strict';
var $ = function (id) { return document.getElementById(id); };
var state = { names: [], token: sessionStorage.getItem('hepq-token') || '', lastHist: null };
var OPS = ['Select', 'SelectMany', 'Where', 'Count', 'Sum', 'Min', 'Max', 'First', 'Any', 'All', 'Take',
  'OrderBy', 'Hist', 'ToFourMomentum', 'Choose', 'lambda', 'and', 'or', 'not', 'abs', 'sqrt', 'bins=', 'range='];
var SQL_WORDS = ['SELECT', 'FROM', 'WHERE', 'GROUP BY', 'ORDER BY', 'LIMIT', 'count', 'avg', 'sum', 'min', 'max',
  'unnest', 'len', 'events', 'root', 'histogram', 'hypotest', 'upper_limit', 'histfactory_fit'];

function api(path, body, retried) {
  var headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (state.token) headers.authorization = 'Bearer ' + state.token;
  return fetch(path, { method: body === undefined ? 'GET' : 'POST', headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body) }).then(function (r) {
    if (r.status === 401 && !retried) {
      state.token = window.prompt('This server asks for a token (hepq serve --token):') || '';
      sessionStorage.setItem('hepq-token', state.token);
      return api(path, body, true);
    }
    var json = (r.headers.get('content-type') || '').indexOf('json') >= 0;
    return (json ? r.json() : r.text()).then(function (data) {
      if (!r.ok) throw (data && data.error) || { message: String(data) };
      return data;
    });
  });
}

function el(tag, attrs, text) {
  var e = document.createElement(tag);
  for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}

function status(text) { $('status').textContent = text; }

function showError(err, source) {
  var box = $('error');
  box.textContent = '';
  box.hidden = false;
  box.appendChild(el('div', { 'class': 'msg' }, (err.code ? err.code + ': ' : '') + (err.message || String(err))));
  var loc = err.location || {};
  if (source && loc.line) {
    var line = source.split('\n')[loc.line - 1] || '';
    var width = Math.max(1, Math.min(line.length - loc.column + 1, (loc.end || 0) - (loc.start || 0)));
    box.appendChild(el('pre', { 'class': 'caret' }, line + '\n' + ' '.repeat(Math.max(0, loc.column - 1)) + '^'.repeat(width)));
  } else if (loc.file) box.appendChild(el('div', {}, 'in ' + loc.file + (loc.offset !== undefined ? ' at byte ' + loc.offset : '')));
  if (err.hint) box.appendChild(el('div', { 'class': 'hint' }, 'hint: ' + err.hint));
  status('error');
}

function clearOutput() {
  $('error').hidden = true;
  $('table').textContent = '';
  $('plot').textContent = '';
  $('explain').hidden = true;
}

function cell(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(7)));
  if (Array.isArray(v)) return '[' + v.slice(0, 8).map(cell).join(', ') + (v.length > 8 ? ', … ' + v.length + ' in all' : '') + ']';
  if (typeof v === 'object') return '{' + Object.keys(v).map(function (k) { return k + ': ' + cell(v[k]); }).join(', ') + '}';
  return String(v);
}

function showRows(rows) {
  var table = $('table');
  table.textContent = '';
  if (!Array.isArray(rows)) rows = [rows];
  var objects = rows.length > 0 && rows.every(function (r) { return r !== null && typeof r === 'object' && !Array.isArray(r); });
  var cols = objects ? Object.keys(rows[0]) : ['value'];
  var thead = el('thead');
  var hr = el('tr');
  hr.appendChild(el('th', { 'class': 'idx' }, '#'));
  cols.forEach(function (c) { hr.appendChild(el('th', {}, c)); });
  thead.appendChild(hr);
  table.appendChild(thead);
  var tbody = el('tbody');
  var shown = rows.slice(0, 500);
  shown.forEach(function (r, i) {
    var tr = el('tr');
    tr.appendChild(el('td', { 'class': 'idx' }, String(i)));
    cols.forEach(function (c) {
      var v = objects ? r[c] : r;
      tr.appendChild(el('td', { 'class': typeof v === 'number' ? 'num' : '' }, cell(v)));
    });
    tbody.appendChild(tr);
  });
  table.appendChild(tbody);
  status(rows.length + ' row' + (rows.length === 1 ? '' : 's') + (rows.length > shown.length ? ' (first ' + shown.length + ' shown)' : '') + ', ' + cols.length + ' column' + (cols.length === 1 ? '' : 's'));
}

function isHist(v) { return v && typeof v === 'object' && Array.isArray(v.edges) && Array.isArray(v.counts); }

function showHist(h, title) {
  state.lastHist = h;
  var total = h.counts.reduce(function (a, b) { return a + b; }, 0);
  status('histogram: ' + (h.edges.length - 1) + ' bins, ' + total + ' entries' +
    (h.underflow ? ', underflow ' + h.underflow : '') + (h.overflow ? ', overflow ' + h.overflow : ''));
  return api('/console/plot', { histogram: h, x: $('xlabel').value, title: title }).then(function (r) {
    $('plot').innerHTML = r.svg;
  });
}

function files() { var f = $('file').value.trim(); return f ? [f] : []; }
function tree() { return $('tree').value.trim(); }
function active() { return document.querySelector('.tab.on').dataset.tab; }

function run() {
  clearOutput();
  var kind = active();
  if (kind === 'stats') return;
  var text = $(kind).value;
  status('running…');
  var t0 = performance.now();
  var done = function () { $('time').textContent = ((performance.now() - t0) / 1000).toFixed(2) + ' s'; };
  document.body.dataset.busy = '1';
  var p = kind === 'sql'
    ? api('/sql', { sql: text, format: 'json' }).then(showRows)
    : api('/query', Object.assign({ query: text, files: files(), format: 'json' }, tree() ? { tree: tree() } : {}))
        .then(function (r) { return isHist(r) ? showHist(r, $('title').value) : showRows(r); });
  return p.then(done, function (e) { done(); showError(e, text); })
    .then(function () { delete document.body.dataset.busy; });
}

function explain() {
  clearOutput();
  if (active() !== 'funcadl') { status('explain shows the plan of a func_adl query'); return; }
  var text = $('funcadl').value;
  status('explaining…');
  document.body.dataset.busy = '1';
  return api('/console/explain', Object.assign({ query: text, files: files() }, tree() ? { tree: tree() } : {}))
    .then(function (r) { var pre = $('explain'); pre.textContent = r.text; pre.hidden = false; status('plan'); },
      function (e) { showError(e, text); })
    .then(function () { delete document.body.dataset.busy; });
}

function sqlString(s) { return "'" + s.replace(/'/g, "''") + "'"; }

function stats(kind) {
  clearOutput();
  var ws = $('workspace').value.trim();
  if (!ws) { showError({ message: 'choose a workspace (a HistFactory JSON file under the data roots)' }); return; }
  var mu = Number($('mu').value || '1');
  var sql = kind === 'fit' ? 'SELECT * FROM histfactory_fit(' + sqlString(ws) + ')'
    : kind === 'cls' ? 'SELECT * FROM hypotest(' + sqlString(ws) + ', mu := ' + mu + ')'
    : 'SELECT * FROM upper_limit(' + sqlString(ws) + ')';
  $('stats-sql').textContent = sql;
  status('fitting…');
  document.body.dataset.busy = '1';
  return api('/sql', { sql: sql, format: 'json' }).then(showRows, function (e) { showError(e, sql); })
    .then(function () { delete document.body.dataset.busy; });
}

function loadSchema() {
  var f = files();
  if (!f.length) return;
  var q = '?file=' + encodeURIComponent(f[0]) + (tree() ? '&tree=' + encodeURIComponent(tree()) : '');
  return api('/console/schema' + q).then(function (s) {
    state.names = s.fields.map(function (x) { return x.name; });
    if (!tree()) $('tree').placeholder = s.tree;
    var list = $('branches');
    list.textContent = '';
    s.fields.forEach(function (x) {
      var li = el('li', { title: x.type });
      li.appendChild(el('span', { 'class': 'name' }, x.name));
      li.appendChild(el('span', { 'class': 'type' }, x.type));
      li.addEventListener('click', function () { insert(x.name); });
      list.appendChild(li);
    });
    $('schema-title').textContent = s.tree + ': ' + s.entries + ' entries, ' + s.fields.length + ' branches';
    document.body.dataset.schema = s.tree;
  }, function (e) { showError(e); });
}

/* completion: the word before the caret, offered from the open file's branches and the language's words */
var comp = { items: [], pick: 0, word: '' };
function collections() {
  var count = {};
  state.names.forEach(function (n) { var m = /^([A-Za-z][A-Za-z0-9]*)_/.exec(n); if (m) count[m[1]] = (count[m[1]] || 0) + 1; });
  return Object.keys(count).filter(function (k) { return count[k] >= 2; });
}
function candidates(editor) {
  var before = editor.value.slice(0, editor.selectionStart);
  var m = /[A-Za-z_][A-Za-z0-9_]*$/.exec(before);
  var word = m ? m[0] : '';
  var dot = before.charAt(before.length - word.length - 1) === '.';
  if (!word && !dot) return { word: '', items: [] };
  var pool;
  if (dot) {
    var owner = (/([A-Za-z_][A-Za-z0-9_]*)\.[A-Za-z0-9_]*$/.exec(before) || [])[1] || '';
    var members = state.names.filter(function (n) { return n.indexOf(owner + '_') === 0; }).map(function (n) { return n.slice(owner.length + 1); });
    pool = members.length ? members : state.names.concat(collections());
    pool = pool.concat(OPS.filter(function (o) { return /^[A-Z]/.test(o); }));
  } else pool = state.names.concat(editor.id === 'sql' ? SQL_WORDS : OPS);
  var seen = {};
  var items = pool.filter(function (p) {
    if (seen[p] || p.indexOf(word) !== 0 || p === word) return false;
    seen[p] = true;
    return true;
  }).sort(function (a, b) {
    // branch names and members before the language's words
    var ka = OPS.indexOf(a) >= 0 || SQL_WORDS.indexOf(a) >= 0, kb = OPS.indexOf(b) >= 0 || SQL_WORDS.indexOf(b) >= 0;
    return ka === kb ? (a < b ? -1 : a > b ? 1 : 0) : ka ? 1 : -1;
  }).slice(0, 60);
  return { word: word, items: items };
}
function showCompletions(editor) {
  var c = candidates(editor);
  comp.items = c.items; comp.word = c.word; comp.pick = 0;
  var ul = $('complete');
  ul.textContent = '';
  ul.hidden = c.items.length === 0;
  // under the caret: its line and column in the editor's monospace text
  var before = editor.value.slice(0, editor.selectionStart).split('\n');
  var style = getComputedStyle(editor);
  var lineHeight = parseFloat(style.lineHeight) || 20;
  var charWidth = parseFloat(style.fontSize) * 0.6;
  ul.style.top = (editor.offsetTop + 8 + before.length * lineHeight - editor.scrollTop) + 'px';
  ul.style.left = (editor.offsetLeft + 8 + Math.max(0, before[before.length - 1].length - c.word.length) * charWidth) + 'px';
  c.items.forEach(function (item, i) {
    var li = el('li', { 'class': i === 0 ? 'on' : '' }, item);
    li.addEventListener('mousedown', function (ev) { ev.preventDefault(); comp.pick = i; accept(editor); });
    ul.appendChild(li);
  });
}
function accept(editor) {
  var item = comp.items[comp.pick];
  if (!item) return;
  var s = editor.selectionStart;
  editor.setRangeText(item, s - comp.word.length, s, 'end');
  $('complete').hidden = true;
  comp.items = [];
  editor.focus();
}
function insert(text) {
  var kind = active();
  if (kind === 'stats') return;
  var editor = $(kind);
  editor.setRangeText(text, editor.selectionStart, editor.selectionEnd, 'end');
  editor.focus();
}

['funcadl', 'sql'].forEach(function (id) {
  var editor = $(id);
  editor.addEventListener('input', function () { showCompletions(editor); });
  editor.addEventListener('blur', function () { $('complete').hidden = true; });
  editor.addEventListener('keydown', function (ev) {
    var open = !$('complete').hidden && comp.items.length > 0;
    if ((ev.ctrlKey || ev.metaKey) && ev.key === 'Enter') { ev.preventDefault(); run(); return; }
    if (ev.ctrlKey && ev.key === ' ') { ev.preventDefault(); showCompletions(editor); return; }
    if (!open) return;
    if (ev.key === 'Tab' || ev.key === 'Enter') { ev.preventDefault(); accept(editor); }
    else if (ev.key === 'Escape') { $('complete').hidden = true; }
    else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      comp.pick = (comp.pick + (ev.key === 'ArrowDown' ? 1 : comp.items.length - 1)) % comp.items.length;
      Array.prototype.forEach.call($('complete').children, function (li, i) { li.className = i === comp.pick ? 'on' : ''; });
    }
  });
});

document.querySelectorAll('.tab').forEach(function (tab) {
  tab.addEventListener('click', function () {
    document.querySelectorAll('.tab').forEach(function (t) { t.classList.toggle('on', t === tab); });
    document.querySelectorAll('.pane').forEach(function (p) { p.hidden = p.id !== 'pane-' + tab.dataset.tab; });
    $('runbar').hidden = tab.dataset.tab === 'stats';
  });
});
$('run').addEventListener('click', run);
$('explain-btn').addEventListener('click', explain);
$('file').addEventListener('change', loadSchema);
$('tree').addEventListener('change', loadSchema);
$('fit').addEventListener('click', function () { stats('fit'); });
$('cls').addEventListener('click', function () { stats('cls'); });
$('limit').addEventListener('click', function () { stats('limit'); });

api('/console/files').then(function (r) {
  var fill = function (id, names) {
    var dl = $(id);
    names.forEach(function (n) { dl.appendChild(el('option', { value: n })); });
  };
  fill('data-files', r.data);
  fill('ws-files', r.workspaces);
  var wanted = new URLSearchParams(location.search).get('file');
  if (wanted || r.data.length) { $('file').value = wanted || r.data[0]; loadSchema(); }
  var ws = new URLSearchParams(location.search).get('workspace');
  if (ws) $('workspace').value = ws;
  document.body.dataset.ready = '1';
}, function (e) { showError(e); document.body.dataset.ready = '1'; });
`;
