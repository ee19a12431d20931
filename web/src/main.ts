// The explorer: state in the URL, loading, drawing and the controls around the graph; the
// console tab and the API key prompt are wired here too.

import './style.css';
import { getRecall, getTrace, getTraceSummary, recallURL, reportURL, request, sendWith, traceURL, type ExportFormat, type Recall } from './api';
import { dialogPrompt, KeyAuth, sessionKeys } from './auth';
import type { CypherConsole } from './console';
import type { RecordsPage } from './records';
import { byId } from './dom';
import { openPage, saveDownload, type Download } from './download';
import type { Sort } from './customers';
import { closedOpenings, DEPTH_STEP, expectedOf, families, kindCounts, levelRange, planBackbone, runCounts, runHeadline, runLabel, WIDTH_STEP, type Backbone, type Openings, type Run } from './fold';
import { EXPAND_STEP, levels, planView, toElements, type Genealogy, type Group, type Role, type View } from './graph';
import { load, loadMore, type Fetcher, type Loaded } from './load';
import { markListItem, renderAnswers, renderDetails, renderFolded, renderLegend, renderNodeList, renderSummary } from './panels';
import { GraphView } from './render';
import { setupFind, setupSearch } from './search';
import { RecallsView } from './recalls';
import { setupTabs } from './tabs';
import { formatHash, formatState, parseHash, parseState, sameState, type Mode, type State, type Tab } from './url';

/** LotTraceHook is what the end-to-end tests read of the graph once a render is done. */
interface LotTraceHook {
  view: State;
  renders: number;
  renderMs: number; // mapping, layout and drawing of the last render
  phases: Record<'map' | 'add' | 'layout' | 'panels' | 'paint', number>; // where renderMs went
  loadMs: number | undefined; // the API calls before it (none when a folded level opens)
  nodeCount(): number;
  edgeCount(): number;
  foldedCount(): number;
  highlighted(role: Role): string[];
  pagePosition(id: string): { x: number; y: number } | null;
  runs(): RunInfo[]; // a recall's folded runs, as drawn
}

/** RunInfo is what the tests read of a folded run. */
interface RunInfo {
  id: string;
  side: string;
  deep: boolean;
  headline: string;
  hidden: number;
  unloaded: number;
  counts: Record<string, number>;
  family: { prefix: string; count: number; chain: boolean } | null;
}

declare global {
  interface Window {
    __lotTrace?: LotTraceHook;
    __lotTraceDownloads?: Download[]; // the exports fetched with the API key, newest last
  }
}

const el = {
  cy: byId('cy'),
  empty: byId('empty'),
  status: byId('status'),
  depth: byId<HTMLInputElement>('depth'),
  csv: byId<HTMLAnchorElement>('export-csv'),
  xlsx: byId<HTMLAnchorElement>('export-xlsx'),
  epcis: byId<HTMLAnchorElement>('export-epcis'),
  report: byId<HTMLAnchorElement>('export-report'),
  openCase: byId<HTMLButtonElement>('open-case'),
  png: byId<HTMLButtonElement>('export-png'),
  fit: byId<HTMLButtonElement>('fit'),
  legend: byId('legend'),
  folded: byId('folded'),
  list: byId('nodelist'),
  announce: byId('announce'),
  summary: byId('summary-body'),
  answers: byId('answers'),
  timing: byId('timing'),
  details: byId('details-body'),
  search: byId<HTMLInputElement>('q'),
  explorer: byId('explorer'),
  findToggle: byId<HTMLButtonElement>('find-toggle'),
  keyButton: byId<HTMLButtonElement>('key-button'),
};

// API keys: every API call goes through auth, which asks for a key when the server wants one.
const auth: KeyAuth = new KeyAuth(sessionKeys(), dialogPrompt(() => auth.setKey(null)));
sendWith((url, init) => auth.fetch(url, init));

let state: State = parseState(location.search);
let loaded: Loaded | null = null;
let level = new Map<string, number>();
let view: View = { visible: new Set(), folded: [] };
let shown = new Map<number, number>(); // folded levels the person opened, and how far
let openings: Openings = closedOpenings(); // how far the person opened a recall's runs
let backbone: Backbone | null = null;
let customerSort: Sort = { key: 'customer', descending: false };
const fetcher: Fetcher = { trace: getTrace, summary: getTraceSummary, recall: getRecall };
let selected: string | null = null;
let inflight: AbortController | null = null;
let renders = 0;
let redraw = false; // drawn while the explorer tab was hidden: draw again when it shows
let hash = parseHash(location.hash);

const graph = new GraphView(el.cy, {
  select: (id) => select(id),
  reroot: (id) => reroot(id),
  expand: (id) => expand(id),
});

/** go shows a state: it updates the address bar (a new history entry unless replace) and loads. */
async function go(next: State, replace = false): Promise<void> {
  if (!sameState(next, parseState(location.search)) || replace) {
    const url = `${location.pathname}${formatState(next)}${location.hash}`;
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
  }
  state = next;
  syncControls();
  if (!state.lot) return clear();

  inflight?.abort();
  const ctl = (inflight = new AbortController());
  setStatus(`Loading ${state.mode === 'recall' ? 'the recall' : 'the trace'} of ${state.lot}…`);
  const t0 = performance.now();
  try {
    // The answer is drawn as soon as it comes, before the graph.
    const answered = (a: { recall?: Recall }) => {
      if (ctl.signal.aborted || !a.recall) return;
      renderAnswers(el.answers, a.recall, undefined);
      setStatus(`Drawing the path of the recall of ${state.lot}…`);
    };
    if (state.mode !== 'recall') renderAnswers(el.answers, undefined, undefined);
    const result = await load(state, fetcher, { signal: ctl.signal, answered });
    if (ctl.signal.aborted) return;
    loaded = result;
    shown = new Map();
    openings = closedOpenings();
    selected = null;
    await draw(performance.now() - t0);
  } catch (err) {
    if ((err as Error).name === 'AbortError') return;
    setStatus((err as Error).message, true);
  }
}

/** draw maps the loaded genealogy to elements and renders it with the panels. */
async function draw(loadMs?: number): Promise<void> {
  if (!loaded) return;
  const t0 = performance.now();
  const { g, roles } = loaded;
  level = levels(g);
  view = planFor(g, loaded.recall);
  const elements = toElements(g, level, view, roles);
  const tMap = performance.now();
  graph.show(elements, g.root, !!loaded.recall);
  redraw = el.explorer.hidden !== false;
  const tShow = performance.now();
  el.empty.hidden = true;
  renderLegend(el.legend, !!roles);
  renderAnswers(el.answers, loaded.recall, g);
  const sort = { sort: customerSort, sorted: (s: Sort) => (customerSort = s) };
  el.announce.textContent = renderSummary(el.summary, { lot: state.lot, mode: state.mode, g, summary: loaded.summary, recall: loaded.recall, notes: loaded.notes }, sort);
  renderNodeList(el.list, g, view, roles, { select: (id) => select(id, true), expand });
  renderFolded(el.folded, g, view, expand);
  renderDetails(el.details, g, null, roles, detailHandlers);
  el.cy.setAttribute('aria-label', `Genealogy graph of ${state.lot}: ${graph.nodeCount()} nodes and ${graph.edgeCount()} edges. The node list gives the same nodes.`);
  el.png.disabled = el.fit.disabled = false;
  setStatus('');
  const tPanels = performance.now();
  await paint(); // Cytoscape draws on the next frame: count it in
  const renderMs = performance.now() - t0;
  const phases = { map: tMap - t0, add: graph.timing.add, layout: graph.timing.layout, panels: tPanels - tShow, paint: performance.now() - tPanels };
  const folded = view.folded.reduce((n, f) => n + f.hidden.length, 0) + (view.groups ?? []).reduce((n, grp) => n + Number(grp.data?.size ?? 0), 0);
  el.timing.textContent =
    `${graph.nodeCount()} nodes and ${graph.edgeCount()} edges drawn${folded ? `, ${folded} nodes folded` : ''}; ` +
    (loadMs === undefined ? '' : `loaded in ${Math.round(loadMs)} ms, `) +
    `drawn in ${Math.round(renderMs)} ms.`;

  renders++;
  const snapshot = { ...state };
  window.__lotTrace = {
    view: snapshot,
    renders,
    renderMs,
    phases,
    loadMs,
    nodeCount: () => graph.nodeCount(),
    edgeCount: () => graph.edgeCount(),
    foldedCount: () => folded,
    runs: () => runInfo(),
    highlighted: (role) => graph.highlighted(role),
    pagePosition: (id) => graph.pagePosition(id),
  };
}

/** clear goes back to the empty page, as when the address names no lot. */
function clear(): void {
  inflight?.abort();
  loaded = null;
  graph.show([], '');
  el.empty.hidden = false;
  el.folded.hidden = true;
  renderAnswers(el.answers, undefined, undefined);
  for (const e of [el.summary, el.list, el.announce, el.timing]) e.replaceChildren();
  renderDetails(el.details, { root: '', nodes: new Map(), edges: new Map(), truncated: false }, null, undefined, detailHandlers);
  el.png.disabled = el.fit.disabled = true;
  setStatus('');
}

const paint = () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));

const detailHandlers = { reroot: (id: string) => reroot(id), center: (id: string) => select(id, true) };

function select(id: string | null, pan = false): void {
  selected = id;
  graph.focus(id, pan);
  if (loaded) renderDetails(el.details, loaded.g, id, loaded.roles, detailHandlers);
  markListItem(el.list, id);
  if (id) el.details.parentElement?.scrollIntoView({ block: 'nearest' });
}

function reroot(id: string): void {
  const n = loaded?.g.nodes.get(id);
  if (n?.kind === 'lot') void go({ ...state, lot: n.key });
}

/** planFor chooses what to draw: a recall's backbone with its runs, or a trace by levels. */
function planFor(g: Genealogy, recall: Recall | undefined): View {
  if (!recall) {
    backbone = null;
    return planView(g, level, undefined, shown);
  }
  backbone = planBackbone(g, level, openings, expectedOf(recall));
  const b = backbone;
  return { visible: b.visible, folded: [], groups: b.runs.map((r) => runGroup(g, r, b)) };
}

/** runGroup draws a run as one node; a run of nodes not loaded hangs off the side's far end. */
function runGroup(g: Genealogy, r: Run, b: Backbone): Group {
  const headline = runHeadline(g, level, r);
  const size = r.hidden.length + r.unloaded.length;
  const action = !r.deep ? `Show ${WIDTH_STEP} more a level` : r.hidden.length ? `Open ${DEPTH_STEP} more levels` : 'Load more';
  const where = r.hidden.length ? levelRange(r) : 'not loaded yet';
  const detail = headline.startsWith('+') ? where : `${kindCounts(runCounts(r))}, ${where}`;
  const links: [string, string][] = [];
  if (!r.hidden.length) {
    // Hung off the side's farthest lots and batches (suppliers and customers end a path).
    const sideIds = [...b.visible].filter(
      (id) => (r.side === 'up' ? (level.get(id) ?? 0) < 0 : (level.get(id) ?? 0) >= 0) && !['customer', 'supplier'].includes(g.nodes.get(id)?.kind ?? ''),
    );
    const far = Math.max(0, ...sideIds.map((id) => Math.abs(level.get(id) ?? 0)));
    for (const id of sideIds.filter((x) => Math.abs(level.get(x) ?? 0) === far).slice(0, 3)) {
      links.push(r.side === 'up' ? [r.id, id] : [id, r.id]);
    }
  }
  return {
    id: r.id, hidden: r.hidden, level: r.from, label: runLabel(g, level, r), classes: `more run role-${r.role}`,
    data: { headline, detail, action, size }, links,
  };
}

function runInfo(): RunInfo[] {
  if (!backbone || !loaded) return [];
  const g = loaded.g;
  return backbone.runs.map((r) => {
    const f = families(g, level, r)[0];
    return {
      id: r.id, side: r.side, deep: r.deep, headline: runHeadline(g, level, r), hidden: r.hidden.length, unloaded: r.unloaded.length,
      counts: runCounts(r), family: f ? { prefix: f.prefix, count: f.count, chain: f.chain } : null,
    };
  });
}

/** expand opens a folded level of a trace ("more:-3") or a recall's run ("run:up:deep"). */
function expand(id: string): void {
  const run = backbone?.runs.find((r) => r.id === id);
  if (run) return openRun(run);
  if (!id.startsWith('more:')) return;
  const l = Number(id.slice(5));
  const f = view.folded.find((x) => x.level === l);
  if (!f) return;
  const already = [...view.visible].filter((id) => level.get(id) === l).length;
  shown.set(l, already + EXPAND_STEP);
  void draw().then(() => selected && select(selected));
}

/** openRun opens a run: deeper levels, more of each level, or a larger bounded load. */
function openRun(run: Run): void {
  if (!run.deep) openings.width[run.side] += WIDTH_STEP;
  else if (run.hidden.length) openings.depth[run.side] += DEPTH_STEP;
  else if (loaded) {
    const at = loaded;
    setStatus('Loading more of the graph…');
    void loadMore(state, fetcher, at, run.side).then(
      () => void (loaded === at && draw()),
      (err: Error) => setStatus(err.message, true),
    );
    return;
  }
  void draw().then(() => selected && select(selected));
}

function syncControls(): void {
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="mode"]')) r.checked = r.value === state.mode;
  el.depth.value = state.depth === undefined ? '' : String(state.depth);
  if (document.activeElement !== el.search) el.search.value = state.lot;
  const ready = !!state.lot;
  const link = (a: HTMLAnchorElement, format: ExportFormat) => {
    if (!ready) {
      a.removeAttribute('href');
      a.setAttribute('aria-disabled', 'true');
      return;
    }
    const bounds = { depth: state.depth };
    a.href = state.mode === 'recall' ? recallURL(state.lot, bounds, format) : traceURL(state.lot, state.mode, bounds, format);
    a.download = fileName(format === 'epcis' ? 'jsonld' : format);
    a.removeAttribute('aria-disabled');
    const what = format === 'epcis' ? 'GS1 EPCIS 2.0 document (JSON-LD), every event with master data,' : `${format.toUpperCase()} (FDA sortable spreadsheet)`;
    a.title = `${what} of this ${state.mode === 'recall' ? 'recall' : 'trace'}`;
  };
  link(el.csv, 'csv');
  link(el.xlsx, 'xlsx');
  link(el.epcis, 'epcis');
  el.report.hidden = state.mode !== 'recall';
  el.openCase.hidden = state.mode !== 'recall' || !ready;
  if (ready) {
    el.report.href = reportURL(state.lot, { depth: state.depth });
    el.report.removeAttribute('aria-disabled');
    el.report.title = 'The printable recall report: each affected customer with every shipment line, and the mass balance (opens in a new tab)';
  } else {
    el.report.removeAttribute('href');
    el.report.setAttribute('aria-disabled', 'true');
  }
  document.title = state.lot ? `${state.lot} · ${state.mode} · lot-trace` : 'lot-trace · genealogy explorer';
}

/** fileName names a download after the view: FG-1-recall.csv. */
const fileName = (ext: string) => `${state.lot.replace(/[^\w.-]+/g, '_')}-${state.mode}.${ext}`;

function setStatus(text: string, error = false): void {
  el.status.textContent = text;
  el.status.classList.toggle('error', error);
}

/** trace shows a lot in the explorer, from the search box, the finder or the console. */
function trace(code: string): void {
  showTab('explorer');
  void go({ ...state, lot: code });
}

// Controls.
setupSearch(byId<HTMLFormElement>('search'), el.search, byId<HTMLUListElement>('suggestions'), trace);
setupFind(el.findToggle, byId('find'), byId<HTMLFormElement>('find-form'), byId('find-results'), trace);
for (const r of document.querySelectorAll<HTMLInputElement>('input[name="mode"]')) {
  r.addEventListener('change', () => void go({ ...state, mode: r.value as Mode }));
}
// An empty depth follows the genealogy to its ends (the service's default).
el.depth.addEventListener('change', () => {
  const d = Number(el.depth.value);
  if (el.depth.value.trim() === '') void go({ ...state, depth: undefined });
  else if (Number.isInteger(d) && d >= 1) void go({ ...state, depth: d });
  else el.depth.value = state.depth === undefined ? '' : String(state.depth);
});
el.png.addEventListener('click', () => {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(graph.png());
  a.download = fileName('png');
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
});
el.fit.addEventListener('click', () => graph.fit());

// With a key, exports are fetched with it and saved from a Blob; the links stay, for the
// keyboard, for "copy link" and for servers without keys.
window.__lotTraceDownloads = [];
for (const a of [el.csv, el.xlsx, el.epcis, el.report]) {
  a.addEventListener('click', (ev) => {
    if (!auth.used || !a.hasAttribute('href')) return;
    ev.preventDefault();
    setStatus(`Preparing the ${a.textContent} download…`);
    const fetchIt = a === el.report ? openPage : saveDownload;
    fetchIt(a.href, a.download || `${state.lot.replace(/[^\w.-]+/g, '_')}-recall-report.html`).then(
      (d) => {
        window.__lotTraceDownloads?.push(d);
        setStatus('');
      },
      (err: Error) => setStatus(err.message, true),
    );
  });
}

// The key button lets the person change or forget the key, once the server has asked for one.
auth.onChange = () => {
  el.keyButton.hidden = !auth.used;
  el.keyButton.title = auth.key ? 'This tab sends an API key: change or forget it' : 'Enter an API key';
};
auth.onChange();
el.keyButton.addEventListener('click', () => {
  void auth.ask('change').then((key) => {
    if (key && state.lot) void go(state, true);
  });
});

// The console tab, loaded the first time it opens: CodeMirror is more than the explorer needs.
let cypherConsole: Promise<CypherConsole> | null = null;
const theConsole = (): Promise<CypherConsole> =>
  (cypherConsole ??= import('./console').then(
    ({ CypherConsole }) =>
      new CypherConsole(
        {
          openLot: trace,
          ran: (query, params) => {
            hash = { tab: 'console', query, params };
            history.replaceState(history.state, '', `${location.pathname}${location.search}${formatHash(hash)}`);
          },
        },
        hash,
      ),
  ));

// The Recalls tab: cases opened from recall mode, each with its checklist and case file.
const recalls = new RecallsView(byId('recalls'), {
  download: (a, ev) => {
    if (!auth.used) return;
    ev.preventDefault();
    const fetchIt = a.id === 'case-file-html' ? openPage : saveDownload;
    fetchIt(a.href, a.id === 'case-file-html' ? 'case-file.html' : 'case-file.xlsx').then(
      (d) => window.__lotTraceDownloads?.push(d),
      (err: Error) => setStatus(err.message, true),
    );
  },
  shown: (id) => {
    hash = { ...hash, case: id ?? undefined };
    if (hash.tab === 'recalls') history.replaceState(history.state, '', `${location.pathname}${location.search}${formatHash(hash)}`);
  },
});
el.openCase.addEventListener('click', () => {
  showTab('recalls', false);
  recalls.openForm(state.lot);
});

// The records request tab, loaded the first time it opens.
let recordsPage: Promise<RecordsPage> | null = null;
const theRecordsPage = (): Promise<RecordsPage> => (recordsPage ??= import('./records').then(({ RecordsPage }) => new RecordsPage()));

const markTab = setupTabs(
  [
    byId<HTMLButtonElement>('tab-explorer'),
    byId<HTMLButtonElement>('tab-console'),
    byId<HTMLButtonElement>('tab-recalls'),
    byId<HTMLButtonElement>('tab-records'),
  ],
  (tab) => showTab(tab),
);

/** showTab opens the explorer, the console, the recall cases or the records request, and keeps the choice in the
 * address's hash; the Recalls tab shows the case in the hash, else the list (unless load is false). */
function showTab(tab: Tab, load = true): void {
  markTab(tab);
  el.findToggle.hidden = tab !== 'explorer';
  hash = { ...hash, tab };
  const url = `${location.pathname}${location.search}${formatHash(hash)}`;
  if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(history.state, '', url);
  if (tab === 'console') return void theConsole().then((c) => c.shown());
  if (tab === 'recalls') {
    if (load) void (hash.case ? recalls.show(hash.case) : recalls.list());
    return;
  }
  if (tab === 'records') return void theRecordsPage().then((p) => p.shown());
  graph.cy.resize();
  if (redraw) void draw();
}

window.addEventListener('hashchange', () => {
  const next = parseHash(location.hash);
  if (next.tab === 'console' && next.query) {
    void theConsole().then((c) => {
      if (next.query !== c.query) c.load(next.query, next.params);
    });
  }
  if (next.tab !== hash.tab) showTab(next.tab);
});

document.addEventListener('keydown', (ev) => {
  const t = ev.target as HTMLElement;
  const typing = t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t.isContentEditable;
  if (ev.key === '/' && !typing) {
    ev.preventDefault();
    el.search.focus();
    el.search.select();
  }
});
window.addEventListener('popstate', () => void go(parseState(location.search), true));

renderLegend(el.legend, state.mode === 'recall');
if (hash.tab !== 'explorer') showTab(hash.tab);
void go(state, true);
// Ask for a key at once when the server needs one, rather than when the person starts typing.
if (!state.lot && hash.tab === 'explorer') void request('/api/v1/lots?limit=1').catch(() => {});
