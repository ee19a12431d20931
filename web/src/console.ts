// The analysts' console tab: a Cypher editor (CodeMirror 6), parameters as JSON, and the
// answer of POST /api/v1/cypher as a table or as a graph drawn by the explorer's renderer.

import { closeCompletion } from '@codemirror/autocomplete';
import { syntaxHighlighting } from '@codemirror/language';
import { Prec } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { ApiError, runCypher, type CypherNode, type CypherResult } from './api';
import { EXAMPLES } from './console-examples';
import { cutNotice, nodeElementID, resultElements, resultGraph, toCell, type ResultElements } from './console-results';
import { cypherCompletion, cypherHighlight, cypherLanguage, type Schema } from './cypher-lang';
import { byId, fill, h } from './dom';
import { formatNumber, plural } from './graph';
import { formatValue } from './panels';
import { GraphView } from './render';

/** TABLE_ROWS is the most rows the table shows at once (the answer may hold 10,000). */
export const TABLE_ROWS = 1000;

/** ConsoleHook is what the end-to-end tests read of the console once a run is done. */
export interface ConsoleHook {
  runs: number;
  status: number; // 200, or the error's status
  error: string;
  rows: number;
  columns: string[];
  tableRows(): number;
  nodeCount(): number;
  edgeCount(): number;
  pagePosition(nodeId: string): { x: number; y: number } | null; // a drawn node's centre
}

declare global {
  interface Window {
    __lotTraceConsole?: ConsoleHook;
  }
}

export interface ConsoleHandlers {
  /** openLot traces a lot in the explorer (double-click on a lot of the graph). */
  openLot(code: string): void;
  /** ran tells the page the query and parameters just run, for the address bar. */
  ran(query: string, params: string): void;
}

const ERROR_TITLES: Record<number, string> = {
  400: 'Neo4j could not run the query',
  403: 'Not allowed',
  422: 'The query was not run to the end',
  503: 'The database is unavailable',
};

export class CypherConsole {
  private readonly editor: EditorView;
  private readonly el = {
    params: byId<HTMLTextAreaElement>('cypher-params'),
    status: byId('console-status'),
    schema: byId('console-schema'),
    error: byId('console-error'),
    note: byId('result-note'),
    table: byId('result-table'),
    graphBox: byId('result-graph'),
    cy: byId('console-cy'),
    graphEmpty: byId('graph-empty'),
    graphHint: byId('graph-hint'),
    selected: byId('console-selected'),
  };
  private schema: Schema | null = null;
  private schemaAsked = false;
  private result: CypherResult | null = null;
  private drawn: ResultElements | null = null;
  private nodes = new Map<string, CypherNode>(); // by element id
  private graph: GraphView | null = null;
  private inflight: AbortController | null = null;
  private view: 'table' | 'graph' = 'table';
  private runs = 0;

  constructor(
    private readonly on: ConsoleHandlers,
    initial: { query: string; params: string },
  ) {
    this.editor = new EditorView({
      parent: byId('cypher-editor'),
      doc: initial.query,
      extensions: [
        Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => (void this.run(), true) }])),
        basicSetup,
        cypherLanguage,
        cypherLanguage.data.of({ autocomplete: cypherCompletion(() => this.schema, () => this.paramNames()) }),
        syntaxHighlighting(cypherHighlight),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-labelledby': 'cypher-label', 'aria-describedby': 'cypher-help' }),
      ],
    });
    if (initial.params) this.el.params.value = initial.params;
    byId<HTMLFormElement>('console-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.run();
    });
    this.el.params.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        void this.run();
      }
    });
    for (const r of document.querySelectorAll<HTMLInputElement>('input[name="result-view"]')) {
      r.addEventListener('change', () => this.showView(r.value as 'table' | 'graph'));
    }
    fill(
      byId('console-examples'),
      ...EXAMPLES.map((x) =>
        h('li', {}, h('button', { type: 'button', class: 'example', onclick: () => this.load(x.query, JSON.stringify(x.params, null, 1)) }, x.title)),
      ),
    );
  }

  /** shown is called each time the tab opens: the schema is fetched the first time. Focus
   * stays where it is (on the tab, when the keyboard opened it). */
  shown(): void {
    this.graph?.cy.resize();
    if (!this.schemaAsked) void this.loadSchema();
  }

  /** load puts a query and its parameters into the editor, as an example does. */
  load(query: string, params: string): void {
    this.editor.dispatch({ changes: { from: 0, to: this.editor.state.doc.length, insert: query }, selection: { anchor: query.length } });
    this.el.params.value = params || '{}';
    this.editor.focus();
  }

  get query(): string {
    return this.editor.state.doc.toString();
  }

  private paramNames(): string[] {
    try {
      const p = JSON.parse(this.el.params.value || '{}');
      return p && typeof p === 'object' && !Array.isArray(p) ? Object.keys(p) : [];
    } catch {
      return [];
    }
  }

  /** loadSchema fetches the names completion offers, through the console itself. */
  private async loadSchema(): Promise<void> {
    this.schemaAsked = true;
    try {
      const [labels, types, keys] = await Promise.all(
        ['CALL db.labels()', 'CALL db.relationshipTypes()', 'CALL db.propertyKeys()'].map((q) => runCypher(q, {})),
      );
      const names = (r: CypherResult) => r.rows.map((row) => String(row[0])).sort();
      this.schema = { labels: names(labels), relationshipTypes: names(types), propertyKeys: names(keys) };
      this.el.schema.textContent =
        `Completion knows the graph's ${plural(this.schema.labels.length, 'label')}, ` +
        `${plural(this.schema.relationshipTypes.length, 'relationship type')} and ${plural(this.schema.propertyKeys.length, 'property key')}.`;
    } catch (err) {
      this.schemaAsked = false; // asked again when the tab next opens
      this.el.schema.textContent = `Completion of labels and property keys is unavailable: ${(err as Error).message}`;
    }
  }

  /** run sends the editor's query with the parameters and shows the answer or the problem. */
  async run(): Promise<void> {
    const query = this.query;
    const paramsText = this.el.params.value.trim() || '{}';
    let params: Record<string, unknown>;
    try {
      params = JSON.parse(paramsText);
      if (!params || typeof params !== 'object' || Array.isArray(params)) throw new Error('it is not an object: write {"name": value, ...}');
    } catch (err) {
      return this.fail(400, 'The parameters are not a JSON object', (err as Error).message);
    }
    closeCompletion(this.editor);
    this.inflight?.abort();
    const ctl = (this.inflight = new AbortController());
    this.el.status.textContent = 'Running…';
    try {
      const res = await runCypher(query, params, ctl.signal);
      if (ctl.signal.aborted) return;
      this.on.ran(query, paramsText);
      this.show(res);
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      const status = err instanceof ApiError ? err.status : 0;
      this.fail(status, ERROR_TITLES[status] ?? 'The query failed', (err as Error).message);
    }
  }

  /** fail shows a problem in place of the answer, so that an older answer is not taken for this one's. */
  private fail(status: number, title: string, detail: string): void {
    this.result = this.drawn = null;
    this.nodes.clear();
    this.el.status.textContent = '';
    this.el.note.replaceChildren();
    this.el.error.hidden = false;
    fill(this.el.error, h('h3', {}, title), h('pre', {}, detail));
    fill(this.el.table, h('p', { class: 'hint' }, 'No answer: the problem is shown above.'));
    if (this.graph) this.drawGraph();
    this.publish(status, `${title}: ${detail}`);
  }

  private show(res: CypherResult): void {
    this.result = res;
    this.el.error.hidden = true;
    this.el.error.replaceChildren();
    const ms = res.took_ms < 10 ? res.took_ms.toFixed(1) : formatNumber(Math.round(res.took_ms));
    this.el.status.textContent = `${plural(res.rows.length, 'row')} in ${ms} ms`;
    const g = resultGraph(res.rows);
    this.drawn = resultElements(g);
    this.nodes = new Map([...g.nodes.values()].map((n) => [nodeElementID(n.id), n]));
    this.el.note.replaceChildren(
      ...(res.truncated ? [h('strong', { class: 'warning' }, cutNotice(res)), ' '] : []),
      this.graphNote(this.drawn),
    );
    this.el.table.replaceChildren(resultTable(res));
    if (this.view === 'graph') this.drawGraph();
    else if (this.graph) this.graph.show([], ''); // drawn again when the graph is shown
    this.publish(200, '');
  }

  private graphNote(d: ResultElements): string {
    const parts = [`${plural(d.nodes, 'node')} and ${plural(d.edges, 'relationship')} to draw`];
    if (d.leftOut) parts.push(`${formatNumber(d.leftOut)} more nodes left out of the drawing`);
    if (d.loose) parts.push(`${plural(d.loose, 'relationship')} without both ends in the answer not drawn`);
    return `${parts.join('; ')}.`;
  }

  private showView(view: 'table' | 'graph'): void {
    this.view = view;
    this.el.table.hidden = view !== 'table';
    this.el.graphBox.hidden = view !== 'graph';
    if (view === 'graph') this.drawGraph();
  }

  private drawGraph(): void {
    const graph = (this.graph ??= new GraphView(this.el.cy, {
      select: (id) => this.select(id),
      reroot: (id) => {
        const code = this.nodes.get(id)?.properties.code;
        if (typeof code === 'string') this.on.openLot(code);
      },
      expand: () => {},
    }));
    graph.cy.resize();
    const d = this.drawn;
    graph.show(d?.elements ?? [], '');
    this.el.graphEmpty.hidden = !d || d.nodes > 0;
    this.el.graphHint.hidden = !d || d.nodes === 0;
    this.el.cy.setAttribute('aria-label', d ? `The answer as a graph: ${this.graphNote(d)} The table gives the same values.` : 'No answer drawn yet');
    this.select(null);
  }

  private select(id: string | null): void {
    this.graph?.focus(id);
    const n = id ? this.nodes.get(id) : undefined;
    this.el.selected.hidden = !n;
    if (!n) return;
    const code = n.properties.code;
    fill(
      this.el.selected,
      h('h3', {}, ...n.labels.map((l) => h('span', { class: `kind ${l.toLowerCase()}` }, l)), ' ', String(code ?? n.properties.id ?? '')),
      h('dl', { class: 'props' }, ...Object.keys(n.properties).sort().flatMap((k) => [h('dt', {}, k), h('dd', {}, formatValue(n.properties[k]))])),
      typeof code === 'string' && n.labels.includes('Lot')
        ? h('button', { type: 'button', onclick: () => this.on.openLot(code) }, 'Trace in the explorer')
        : null,
    );
  }

  private publish(status: number, error: string): void {
    this.runs++;
    const res = status === 200 ? this.result : null;
    window.__lotTraceConsole = {
      runs: this.runs,
      status,
      error,
      rows: res?.rows.length ?? 0,
      columns: res?.columns ?? [],
      tableRows: () => this.el.table.querySelectorAll('tbody tr').length,
      nodeCount: () => this.graph?.nodeCount() ?? 0,
      edgeCount: () => this.graph?.edgeCount() ?? 0,
      pagePosition: (id) => this.graph?.pagePosition(nodeElementID(id)) ?? null,
    };
  }
}

/** resultTable shows the answer's rows, the first TABLE_ROWS of them, with a row number. */
function resultTable(res: CypherResult): HTMLElement {
  if (res.columns.length === 0) return h('p', { class: 'hint' }, 'The query ran and returned no columns.');
  const shown = res.rows.slice(0, TABLE_ROWS);
  return h(
    'div',
    {},
    h(
      'table',
      { class: 'result' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'rownum' }, '#'), ...res.columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...shown.map((row, i) => h('tr', {}, h('td', { class: 'rownum' }, i + 1), ...row.map(cell)))),
    ),
    res.rows.length === 0 ? h('p', { class: 'hint' }, 'No rows.') : null,
    res.rows.length > shown.length ? h('p', { class: 'hint' }, `The first ${formatNumber(shown.length)} of ${formatNumber(res.rows.length)} rows.`) : null,
  );
}

function cell(v: unknown): HTMLElement {
  const c = toCell(v);
  const inner = c.type === 'node' || c.type === 'relationship' || c.type === 'path' ? h('span', { class: `value ${c.type} ${c.kind ?? ''}` }, c.text) : c.text;
  return h('td', { class: [c.type === 'null' ? 'null' : '', typeof v === 'number' ? 'num' : ''].join(' ').trim() || undefined, title: c.title }, inner);
}
