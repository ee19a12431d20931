// The panels beside the graph: legend, summary (with its spoken version), the node list that
// is the keyboard's way through the graph, and a node's details.

import type { Kind, Props, Recall, TraceSummary } from './api';
import { ftlBadge } from './fsma';
import { customerRows, mainUnit, quantityText, sortRows, type Sort, type SortKey } from './customers';
import { fill, h } from './dom';
import { EXPAND_STEP, KINDS, foldedCounts, foldedID, type Group, formatNumber, kdeEvents, plural, signed, summaryCounts, type Genealogy, type Role, type View } from './graph';
import { PALETTE } from './render';
import type { Mode } from './url';

const KIND_NAMES: Record<Kind, string> = { supplier: 'Suppliers', lot: 'Lots', batch: 'Batches', customer: 'Customers' };
export const ROLE_NAMES: Record<Role, string> = {
  complained: 'Complained-about lot',
  source: 'Source batch',
  ingredient: 'Ingredient',
  affected: 'Affected lot or batch',
  customer: 'Affected customer',
};

const swatch = (fill: string, line: string, shape: string) => h('span', { class: `swatch ${shape}`, style: `background:${fill};border-color:${line}`, 'aria-hidden': 'true' });

const roleSwatch = (r: Role) => {
  const c = r === 'customer' ? PALETTE.customerRole : PALETTE[r];
  return swatch(c.fill, c.line, 'role');
};

export function renderLegend(ul: HTMLElement, recall: boolean): void {
  const items = KINDS.map((k) => h('li', {}, swatch(PALETTE[k].fill, PALETTE[k].line, k), KIND_NAMES[k].replace(/e?s$/, '')));
  if (recall) {
    items.push(...(Object.keys(ROLE_NAMES) as Role[]).map((r) => h('li', {}, roleSwatch(r), ROLE_NAMES[r])));
    items.push(h('li', {}, h('span', { class: 'swatch run', 'aria-hidden': 'true' }), 'Folded run (click to open)'));
  }
  fill(ul, ...items);
}

export interface SummaryInput {
  lot: string;
  mode: Mode;
  g: Genealogy;
  summary?: TraceSummary;
  recall?: Recall;
  notes: string[];
}

/** renderSummary fills the summary panel and returns its one-sentence spoken version. The
 * counts come from the answer (the trace's keys or the recall), never from what is drawn. */
export function renderSummary(body: HTMLElement, s: SummaryInput, sort?: SortHandler): string {
  const warnings = s.notes.map((n) => h('p', { class: 'warning' }, n));

  if (s.recall) {
    const r = s.recall;
    fill(body, h('h3', {}, `Recall of ${r.lot}`), ...warnings, customerTable(r, s.g, sort), shipmentTable(r));
    return (
      `Recall of ${r.lot}: made in ${plural(r.source_batches.length, 'batch')}; ` +
      `${plural(r.ingredients.lots.length, 'ingredient lot')} from ${plural(r.ingredients.suppliers.length, 'supplier')}; ` +
      `${plural(r.affected.lots.length, 'affected lot')} shipped to ${plural(r.affected.customers.length, 'customer')}.`
    );
  }
  const c = s.summary
    ? { supplier: s.summary.suppliers.length, lot: s.summary.lots.length, batch: s.summary.batches.length, customer: s.summary.customers.length }
    : summaryCounts(s.g);
  const title = `${s.mode === 'both' ? 'Trace' : s.mode === 'backward' ? 'Backward trace' : 'Forward trace'} of ${s.lot}`;
  fill(body, 
    h('h3', {}, title),
    h('dl', { class: 'counts' }, ...KINDS.flatMap((k) => [h('dt', {}, KIND_NAMES[k]), h('dd', { 'data-count': k }, formatNumber(c[k]))])),
    ...warnings,
  );
  return `${title}: ${KINDS.map((k) => plural(c[k], k)).join(', ')}.`;
}

/**
 * renderAnswers fills the band over the graph with the recall's three answers and their
 * exact counts, in the recall colours: what a recall manager reads before the path.
 */
export function renderAnswers(band: HTMLElement, r: Recall | undefined, g: Genealogy | undefined): void {
  band.hidden = !r;
  if (!r) return band.replaceChildren();
  const names = (ids: string[], kind: Kind) => ids.map((id) => (g ? partyName(g, kind, id) : id));
  const count = (key: string, n: number, word: string) => h('span', { class: 'figure' }, h('b', { 'data-count': key }, formatNumber(n)), ` ${plural(n, word).replace(/^[\d,.]+ /, '')}`);
  fill(
    band,
    h('h2', { id: 'answers-title', class: 'sr-only' }, `The recall of ${r.lot}, answered`),
    card('source', 'Where was it made?', [count('source-batches', r.source_batches.length, 'source batch')], r.source_batches.length ? r.source_batches : ['received, not made here']),
    card(
      'ingredient',
      'What went into it?',
      [count('ingredient-lots', r.ingredients.lots.length, 'lot'), count('ingredient-batches', r.ingredients.batches.length, 'batch'), count('ingredient-suppliers', r.ingredients.suppliers.length, 'supplier')],
      names(r.ingredients.suppliers, 'supplier'),
    ),
    card(
      'customer',
      'Where did it go?',
      [
        count('affected-lots', r.affected.lots.length, 'lot'),
        count('affected-batches', r.affected.batches.length, 'batch'),
        count('affected-customers', r.affected.customers.length, 'customer'),
        count('shipment-lines', r.affected.shipments.length, 'shipment line'),
      ],
      names(r.affected.customers, 'customer'),
    ),
  );
}

function card(role: Role, question: string, figures: HTMLElement[], items: string[]): HTMLElement {
  const shown = items.slice(0, 4);
  return h(
    'section',
    { class: `answer role-${role}`, 'data-answer': role },
    h('h3', {}, roleSwatch(role), question),
    h('p', { class: 'figures' }, ...figures),
    shown.length ? h('p', { class: 'items' }, shown.join(', ') + (items.length > shown.length ? ` and ${formatNumber(items.length - shown.length)} more` : '')) : null,
  );
}

/** SortHandler keeps the customer table's order across renders. */
export interface SortHandler {
  sort: Sort;
  sorted(next: Sort): void;
}

const COLUMNS: [SortKey, string][] = [
  ['customer', 'Customer'],
  ['lots', 'Lots'],
  ['quantity', 'Quantity'],
  ['last', 'Last shipment'],
];

/** customerTable is one row a customer, sortable by each column (a click on its header). */
function customerTable(r: Recall, g: Genealogy, handler?: SortHandler): HTMLElement {
  const lines = r.affected.shipments;
  if (lines.length === 0) return h('p', { class: 'hint' }, 'No shipment of an affected lot.');
  const unit = mainUnit(lines);
  const rows = customerRows(lines);
  let sort: Sort = handler?.sort ?? { key: 'customer', descending: false };
  const tbody = h('tbody', {});
  const heads = COLUMNS.map(([key, title]) =>
    h('th', { scope: 'col', class: key === 'customer' ? '' : 'num', 'data-sort': key }, h('button', { type: 'button', class: 'sort', onclick: () => resort(key) }, title)),
  );
  const draw = () => {
    for (const th of heads) {
      const on = th.dataset.sort === sort.key;
      th.setAttribute('aria-sort', on ? (sort.descending ? 'descending' : 'ascending') : 'none');
    }
    tbody.replaceChildren(
      ...sortRows(rows, sort, unit).map((row) =>
        h(
          'tr',
          {},
          h('td', { title: partyName(g, 'customer', row.customer) }, row.customer),
          h('td', { class: 'num' }, formatNumber(row.lots)),
          h('td', { class: 'num' }, quantityText(row.quantities, unit)),
          h('td', { class: 'num' }, row.last.slice(0, 10)),
        ),
      ),
    );
  };
  const resort = (key: SortKey) => {
    sort = { key, descending: sort.key === key ? !sort.descending : key !== 'customer' };
    handler?.sorted(sort);
    draw();
  };
  draw();
  return h(
    'section',
    { class: 'customers' },
    h('h4', {}, `Customers (${formatNumber(rows.length)})`),
    h('div', { class: 'table-box' }, h('table', { id: 'customers' }, h('thead', {}, h('tr', {}, ...heads)), tbody)),
    unit && rows.some((row) => row.quantities.size > 1 || !row.quantities.has(unit))
      ? h('p', { class: 'hint' }, `Quantities are summed per unit; the column sorts by ${unit}.`)
      : null,
  );
}

function shipmentTable(r: Recall): HTMLElement | null {
  const lines = r.affected.shipments;
  if (lines.length === 0) return null;
  const shown = lines.slice(0, 200);
  return h(
    'details',
    { class: 'shipments', open: lines.length <= 12 },
    h('summary', {}, `Shipment lines (${formatNumber(lines.length)})`),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...['Customer', 'Lot', 'Quantity', 'Shipped', 'Shipment'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        ...shown.map((l) =>
          h(
            'tr',
            {},
            h('td', {}, l.customer),
            h('td', {}, l.lot),
            h('td', { class: 'num' }, `${formatNumber(l.quantity)} ${l.unit}`),
            h('td', {}, l.shipped_at.slice(0, 10)),
            h('td', {}, l.id),
          ),
        ),
      ),
    ),
    lines.length > shown.length ? h('p', { class: 'hint' }, `The first 200 of ${formatNumber(lines.length)}; the CSV and XLSX exports hold them all.`) : null,
  );
}

function partyName(g: Genealogy, kind: Kind, id: string): string {
  const name = g.nodes.get(`${kind}:${id}`)?.properties.name;
  return typeof name === 'string' && name && name !== id ? `${name} (${id})` : id;
}

/** renderFolded shows, over the graph, what is folded away and how to open it. */
export function renderFolded(box: HTMLElement, g: Genealogy, view: View, expand: (id: string) => void): void {
  if (view.groups?.length) return renderRuns(box, view.groups, expand);
  box.hidden = view.folded.length === 0;
  if (box.hidden) return box.replaceChildren();
  const total = view.folded.reduce((n, f) => n + f.hidden.length, 0);
  fill(
    box,
    h('p', {}, h('strong', {}, `${formatNumber(total)} nodes folded`), ' to keep the page responsive:'),
    h(
      'ul',
      {},
      ...view.folded.map((f) =>
        h(
          'li',
          {},
          `level ${signed(f.level)}: ${foldedCounts(g, f)} `,
          h('button', { type: 'button', class: 'ghost', onclick: () => expand(foldedID(f.level)) }, `Show ${formatNumber(Math.min(EXPAND_STEP, f.hidden.length))} more`),
        ),
      ),
    ),
  );
}

/** renderRuns lists a recall's runs over the graph: one line and one button a run. */
function renderRuns(box: HTMLElement, runs: Group[], expand: (id: string) => void): void {
  box.hidden = false;
  fill(
    box,
    h('p', {}, h('strong', {}, 'Folded runs'), ' (the counts are the recall\'s, exact):'),
    h(
      'ul',
      { class: 'runs' },
      ...runs.map((r) =>
        h(
          'li',
          { class: r.classes, 'data-run': r.id },
          h('span', {}, h('strong', { class: 'run-name' }, String(r.data?.headline ?? '')), h('span', { class: 'hint' }, ` ${String(r.data?.detail ?? '')}`)),
          h('button', { type: 'button', class: 'ghost', onclick: () => expand(r.id) }, String(r.data?.action ?? 'Open')),
        ),
      ),
    ),
  );
}

export interface ListHandlers {
  select(id: string): void;
  expand(id: string): void;
}

/**
 * renderNodeList lists the drawn nodes by kind, one button each, with a roving tab stop:
 * Tab enters the list once, the arrow keys, Home and End move, Enter selects.
 */
export function renderNodeList(container: HTMLElement, g: Genealogy, view: View, roles: Map<string, Role> | undefined, on: ListHandlers): void {
  const groups: HTMLElement[] = [];
  for (const kind of KINDS) {
    const ids = [...view.visible].filter((id) => g.nodes.get(id)!.kind === kind).sort();
    if (ids.length === 0) continue;
    groups.push(
      h(
        'section',
        {},
        h('h3', {}, `${KIND_NAMES[kind]} (${formatNumber(ids.length)})`),
        h(
          'ul',
          {},
          ...ids.map((id) => {
            const n = g.nodes.get(id)!;
            const role = roles?.get(id);
            const extra = [id === g.root ? 'traced lot' : '', role ? ROLE_NAMES[role].toLowerCase() : ''].filter(Boolean).join(', ');
            return h(
              'li',
              {},
              h(
                'button',
                { type: 'button', class: `node-item ${role ? `role-${role}` : ''}`, 'data-id': id, tabindex: -1, onclick: () => on.select(id) },
                n.key,
                extra ? h('span', { class: 'tag' }, extra) : null,
              ),
            );
          }),
        ),
      ),
    );
  }
  if (view.groups?.length) {
    groups.push(
      h(
        'section',
        {},
        h('h3', {}, 'Folded runs'),
        h(
          'ul',
          {},
          ...view.groups.map((r) =>
            h('li', {}, h('button', { type: 'button', class: 'node-item more', tabindex: -1, onclick: () => on.expand(r.id) }, `${String(r.data?.headline ?? '')}: ${String(r.data?.action ?? 'open')}`)),
          ),
        ),
      ),
    );
  }
  if (view.folded.length) {
    groups.push(
      h(
        'section',
        {},
        h('h3', {}, 'Folded levels'),
        h(
          'ul',
          {},
          ...view.folded.map((f) =>
            h(
              'li',
              {},
              h('button', { type: 'button', class: 'node-item more', tabindex: -1, onclick: () => on.expand(foldedID(f.level)) }, `Show more of level ${signed(f.level)} (${formatNumber(f.hidden.length)} hidden)`),
            ),
          ),
        ),
      ),
    );
  }
  fill(container, ...groups);
  const buttons = [...container.querySelectorAll<HTMLButtonElement>('button')];
  if (buttons.length) buttons[0].tabIndex = 0;
  container.onkeydown = (ev) => {
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (i < 0) return;
    const next = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: buttons.length - 1 }[ev.key];
    if (next === undefined) return;
    ev.preventDefault();
    moveFocus(buttons, Math.max(0, Math.min(buttons.length - 1, next)));
  };
}

function moveFocus(buttons: HTMLButtonElement[], i: number): void {
  for (const b of buttons) b.tabIndex = -1;
  buttons[i].tabIndex = 0;
  buttons[i].focus();
}

/** markListItem shows which node is selected in the list. */
export function markListItem(container: HTMLElement, id: string | null): void {
  for (const b of container.querySelectorAll<HTMLButtonElement>('button[data-id]')) {
    const on = b.dataset.id === id;
    b.setAttribute('aria-current', String(on));
    if (on) b.scrollIntoView({ block: 'nearest' });
  }
}

export interface DetailHandlers {
  reroot(id: string): void;
  center(id: string): void;
}

/** renderDetails shows a node's properties and the Key Data Elements of its events. */
export function renderDetails(body: HTMLElement, g: Genealogy, id: string | null, roles: Map<string, Role> | undefined, on: DetailHandlers): void {
  const n = id ? g.nodes.get(id) : undefined;
  if (!n) {
    fill(body, h('p', { class: 'hint' }, 'Select a node to see its properties and Key Data Elements.'));
    return;
  }
  const role = roles?.get(n.id);
  const events = kdeEvents(g, n.id);
  fill(body, 
    h('h3', {}, h('span', { class: `kind ${n.kind}` }, n.kind), ' ', n.key),
    role ? h('p', { class: `role-badge role-${role}` }, ROLE_NAMES[role]) : null,
    n.kind === 'lot' ? ftlBadge(String(n.properties.product ?? '')) : null,
    h(
      'div',
      { class: 'buttons' },
      n.kind === 'lot' && n.id !== g.root ? h('button', { type: 'button', onclick: () => on.reroot(n.id) }, 'Trace from this lot') : null,
      h('button', { type: 'button', class: 'ghost', onclick: () => on.center(n.id) }, 'Show in graph'),
    ),
    propertyList(n.properties, ['id', 'code']),
    h('h4', {}, `Key Data Elements (${events.length} ${events.length === 1 ? 'event' : 'events'} in view)`),
    events.length
      ? h(
          'ul',
          { class: 'events' },
          ...events.map((e) =>
            h('li', {}, h('p', { class: 'event' }, h('strong', {}, e.event), ' ', e.other ? `${arrowWord(e.event)} ${e.other.key}` : ''), propertyList(e.properties, [])),
          ),
        )
      : h('p', { class: 'hint' }, 'No event of this node is in the drawn genealogy.'),
  );
}

function arrowWord(event: string): string {
  return { Receiving: 'from', Shipping: 'to', 'Transformation input': 'with', 'Transformation output': 'with' }[event] ?? '';
}

function propertyList(p: Props, skip: string[]): HTMLElement {
  const keys = Object.keys(p)
    .filter((k) => !skip.includes(k))
    .sort();
  return h('dl', { class: 'props' }, ...keys.flatMap((k) => [h('dt', {}, k.replaceAll('_', ' ')), h('dd', {}, formatValue(p[k]))]));
}

export function formatValue(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return v.replace('T', ' ').replace(/(:\d{2})(\.\d+)?Z$/, '$1 UTC');
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
