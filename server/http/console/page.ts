/** The web console's page: markup and style around the browser script (one self-contained HTML document). */
import { CLIENT_SCRIPT } from './client.js';

const STYLE = `
:root { --fg: #1d232b; --muted: #5d6875; --line: #d5dbe2; --accent: #2b6cb0; --bg: #f6f8fa; --err: #b42318; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 "DejaVu Sans", Helvetica, Arial, sans-serif; color: var(--fg); background: white; }
header { display: flex; align-items: baseline; gap: 16px; padding: 10px 18px; border-bottom: 1px solid var(--line); background: var(--bg); }
header h1 { font-size: 18px; margin: 0; }
header .sub { color: var(--muted); }
header a { margin-left: auto; color: var(--accent); }
main { display: grid; grid-template-columns: 260px 1fr; min-height: calc(100vh - 48px); }
aside { border-right: 1px solid var(--line); padding: 12px; background: var(--bg); overflow: auto; max-height: calc(100vh - 48px); }
aside label { display: block; font-weight: bold; margin: 8px 0 2px; }
aside input { width: 100%; padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px; font: inherit; }
#schema-title { color: var(--muted); margin: 10px 0 4px; font-size: 12px; }
#branches { list-style: none; margin: 0; padding: 0; font: 12px/1.5 "DejaVu Sans Mono", monospace; }
#branches li { display: flex; justify-content: space-between; gap: 6px; cursor: pointer; padding: 0 3px; border-radius: 3px; }
#branches li:hover { background: #e3ebf5; }
#branches .type { color: var(--muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
section.work { padding: 12px 18px; min-width: 0; position: relative; }
.tabs { display: flex; gap: 4px; border-bottom: 1px solid var(--line); }
.tab { border: 1px solid var(--line); border-bottom: none; background: var(--bg); padding: 5px 14px; border-radius: 5px 5px 0 0; cursor: pointer; font: inherit; }
.tab.on { background: white; font-weight: bold; position: relative; top: 1px; }
.pane { padding: 10px 0; }
textarea { width: 100%; height: 130px; font: 13px/1.5 "DejaVu Sans Mono", monospace; padding: 8px; border: 1px solid var(--line); border-radius: 4px; resize: vertical; }
#complete { position: absolute; z-index: 5; margin: 0; padding: 2px 0; list-style: none; background: white; border: 1px solid var(--line); box-shadow: 0 3px 10px rgba(0,0,0,.15); font: 13px/1.6 "DejaVu Sans Mono", monospace; min-width: 200px; max-height: 240px; overflow-y: auto; }
#complete li { padding: 0 10px; cursor: pointer; }
#complete li.on { background: var(--accent); color: white; }
.bar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-top: 6px; }
button.act { background: var(--accent); color: white; border: none; border-radius: 4px; padding: 5px 14px; font: inherit; cursor: pointer; }
button.sec { background: white; color: var(--accent); border: 1px solid var(--accent); border-radius: 4px; padding: 4px 12px; font: inherit; cursor: pointer; }
.bar input { padding: 3px 6px; border: 1px solid var(--line); border-radius: 4px; font: inherit; }
#status { color: var(--muted); margin: 10px 0 6px; }
#time { color: var(--muted); margin-left: 8px; }
#error { border: 1px solid #f1b5ae; background: #fff4f2; color: var(--err); padding: 8px 10px; border-radius: 4px; }
#error pre.caret { color: var(--fg); margin: 6px 0; }
#error .hint { color: var(--fg); }
#explain { background: var(--bg); border: 1px solid var(--line); padding: 8px; overflow: auto; font-size: 12px; }
#plot svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; font: 12px/1.5 "DejaVu Sans Mono", monospace; margin-top: 6px; }
th, td { border-bottom: 1px solid var(--line); padding: 2px 10px; text-align: left; white-space: nowrap; }
th { background: var(--bg); position: sticky; top: 0; }
td.num { text-align: right; }
.idx { color: var(--muted); text-align: right; }
#stats-sql { color: var(--muted); font-size: 12px; }
`;

const BODY = `
<header><h1>hepq</h1><span class="sub">func_adl and SQL over ROOT and Parquet, HistFactory fits</span>
<a href="/docs">HTTP API</a></header>
<main>
<aside>
  <label for="file">File</label>
  <input id="file" list="data-files" placeholder="events.root" autocomplete="off"><datalist id="data-files"></datalist>
  <label for="tree">Tree</label>
  <input id="tree" placeholder="found in the file" autocomplete="off">
  <div id="schema-title">open a file to see its branches</div>
  <ul id="branches"></ul>
</aside>
<section class="work">
  <div class="tabs">
    <button class="tab on" data-tab="funcadl">func_adl</button>
    <button class="tab" data-tab="sql">SQL</button>
    <button class="tab" data-tab="stats">Fit / CLs</button>
  </div>
  <div class="pane" id="pane-funcadl">
    <textarea id="funcadl" spellcheck="false" placeholder="Select(lambda e: e.MET_pt).Hist(lambda m: m, bins=50, range=(0, 200))">Select(lambda e: e.nMuon).Count()</textarea>
  </div>
  <div class="pane" id="pane-sql" hidden>
    <textarea id="sql" spellcheck="false" placeholder="SELECT nMuon, count(*) FROM root('events.root', 'Events') GROUP BY ALL ORDER BY 1"></textarea>
  </div>
  <div class="pane" id="pane-stats" hidden>
    <div class="bar"><label for="workspace">Workspace</label>
      <input id="workspace" list="ws-files" size="50" placeholder="workspace.json"><datalist id="ws-files"></datalist>
      <label for="mu">μ</label><input id="mu" value="1" size="5"></div>
    <div class="bar"><button class="act" id="fit">Fit</button><button class="act" id="cls">CLs at μ</button>
      <button class="act" id="limit">Upper limit</button></div>
    <div id="stats-sql"></div>
  </div>
  <ul id="complete" hidden></ul>
  <div class="bar" id="runbar">
    <button class="act" id="run" title="Ctrl-Enter">Run</button>
    <button class="sec" id="explain-btn">Explain</button>
    <label for="xlabel">x label</label><input id="xlabel" size="18" placeholder="x">
    <label for="title">title</label><input id="title" size="24">
    <span id="time"></span>
  </div>
  <div id="status">ready</div>
  <div id="error" hidden></div>
  <pre id="explain" hidden></pre>
  <div id="plot"></div>
  <table id="table"></table>
</section>
</main>`;

/** The console's HTML document. */
export function consolePage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>hepq console</title><style>${STYLE}</style></head>
<body>${BODY}
<script>${CLIENT_SCRIPT}</script>
</body></html>`;
}
