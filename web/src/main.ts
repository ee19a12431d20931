// The explorer: state in the URL, loading, drawing and the controls around the graph.

import './style.css';
import { getRecall, getTrace, recallURL, traceURL } from './api';
import { byId } from './dom';
import { EXPAND_STEP, levels, planView, toElements, type Role, type View } from './graph';
import { load, type Loaded } from './load';
import { markListItem, renderDetails, renderFolded, renderLegend, renderNodeList, renderSummary } from './panels';
import { GraphView } from './render';
import { setupFind, setupSearch } from './search';
import { formatState, MAX_DEPTH, parseState, sameState, type Mode, type State } from './url';

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
}

declare global {
  interface Window {
    __lotTrace?: LotTraceHook;
  }
}

const el = {
  cy: byId('cy'),
  empty: byId('empty'),
  status: byId('status'),
  depth: byId<HTMLInputElement>('depth'),
  csv: byId<HTMLAnchorElement>('export-csv'),
  xlsx: byId<HTMLAnchorElement>('export-xlsx'),
  png: byId<HTMLButtonElement>('export-png'),
  fit: byId<HTMLButtonElement>('fit'),
  legend: byId('legend'),
  folded: byId('folded'),
  list: byId('nodelist'),
  announce: byId('announce'),
  summary: byId('summary-body'),
  timing: byId('timing'),
  details: byId('details-body'),
  search: byId<HTMLInputElement>('q'),
};

let state: State = parseState(location.search);
let loaded: Loaded | null = null;
let level = new Map<string, number>();
let view: View = { visible: new Set(), folded: [] };
let shown = new Map<number, number>(); // folded levels the person opened, and how far
let selected: string | null = null;
let inflight: AbortController | null = null;
let renders = 0;

const graph = new GraphView(el.cy, {
  select: (id) => select(id),
  reroot: (id) => reroot(id),
  expand: (l) => expand(l),
});

/** go shows a state: it updates the address bar (a new history entry unless replace) and loads. */
async function go(next: State, replace = false): Promise<void> {
  if (!sameState(next, parseState(location.search)) || replace) {
    const url = `${location.pathname}${formatState(next)}`;
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
    const result = await load(state, { trace: getTrace, recall: getRecall }, ctl.signal);
    if (ctl.signal.aborted) return;
    loaded = result;
    shown = new Map();
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
  view = planView(g, level, undefined, shown);
  const elements = toElements(g, level, view, roles);
  const tMap = performance.now();
  graph.show(elements, g.root);
  const tShow = performance.now();
  el.empty.hidden = true;
  renderLegend(el.legend, !!roles);
  el.announce.textContent = renderSummary(el.summary, { lot: state.lot, mode: state.mode, g, trace: loaded.trace, recall: loaded.recall, notes: loaded.notes });
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
  const folded = view.folded.reduce((n, f) => n + f.hidden.length, 0);
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
    foldedCount: () => view.folded.reduce((n, f) => n + f.hidden.length, 0),
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

function expand(l: number): void {
  const f = view.folded.find((x) => x.level === l);
  if (!f) return;
  const already = [...view.visible].filter((id) => level.get(id) === l).length;
  shown.set(l, already + EXPAND_STEP);
  void draw().then(() => selected && select(selected));
}

function syncControls(): void {
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="mode"]')) r.checked = r.value === state.mode;
  el.depth.value = String(state.depth);
  if (document.activeElement !== el.search) el.search.value = state.lot;
  const ready = !!state.lot;
  const link = (a: HTMLAnchorElement, format: 'csv' | 'xlsx') => {
    if (!ready) {
      a.removeAttribute('href');
      a.setAttribute('aria-disabled', 'true');
      return;
    }
    a.href = state.mode === 'recall' ? recallURL(state.lot, state.depth, format) : traceURL(state.lot, state.mode, state.depth, format);
    a.download = fileName(format);
    a.removeAttribute('aria-disabled');
    a.title = `${format.toUpperCase()} (FDA sortable spreadsheet) of this ${state.mode === 'recall' ? 'recall' : 'trace'}`;
  };
  link(el.csv, 'csv');
  link(el.xlsx, 'xlsx');
  document.title = state.lot ? `${state.lot} · ${state.mode} · lot-trace` : 'lot-trace · genealogy explorer';
}

/** fileName names a download after the view: FG-1-recall.csv. */
const fileName = (ext: string) => `${state.lot.replace(/[^\w.-]+/g, '_')}-${state.mode}.${ext}`;

function setStatus(text: string, error = false): void {
  el.status.textContent = text;
  el.status.classList.toggle('error', error);
}

// Controls.
setupSearch(byId<HTMLFormElement>('search'), el.search, byId<HTMLUListElement>('suggestions'), (code) => void go({ ...state, lot: code }));
setupFind(byId<HTMLButtonElement>('find-toggle'), byId('find'), byId<HTMLFormElement>('find-form'), byId('find-results'), (code) => void go({ ...state, lot: code }));
for (const r of document.querySelectorAll<HTMLInputElement>('input[name="mode"]')) {
  r.addEventListener('change', () => void go({ ...state, mode: r.value as Mode }));
}
el.depth.addEventListener('change', () => {
  const d = Number(el.depth.value);
  if (Number.isInteger(d) && d >= 1 && d <= MAX_DEPTH) void go({ ...state, depth: d });
  else el.depth.value = String(state.depth);
});
el.png.addEventListener('click', () => {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(graph.png());
  a.download = fileName('png');
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
});
el.fit.addEventListener('click', () => graph.fit());
document.addEventListener('keydown', (ev) => {
  const typing = ev.target instanceof HTMLInputElement || ev.target instanceof HTMLTextAreaElement;
  if (ev.key === '/' && !typing) {
    ev.preventDefault();
    el.search.focus();
    el.search.select();
  }
});
window.addEventListener('popstate', () => void go(parseState(location.search), true));

renderLegend(el.legend, state.mode === 'recall');
void go(state, true);
