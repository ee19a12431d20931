// The panels beside the graph: legend, summary (with its spoken version), the node list that
// is the keyboard's way through the graph, and a node's details.

import type { Kind, Props, Recall, Trace } from './api';
import { fill, h } from './dom';
import { EXPAND_STEP, KINDS, foldedCounts, formatNumber, kdeEvents, plural, signed, summaryCounts, type Genealogy, type Role, type View } from './graph';
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
  if (recall) items.push(...(Object.keys(ROLE_NAMES) as Role[]).map((r) => h('li', {}, roleSwatch(r), ROLE_NAMES[r])));
  fill(ul, ...items);
}

export interface SummaryInput {
  lot: string;
  mode: Mode;
  g: Genealogy;
  trace?: Trace;
  recall?: Recall;
  notes: string[];
}

/** renderSummary fills the summary panel and returns its one-sentence spoken version. */
export function renderSummary(body: HTMLElement, s: SummaryInput): string {
  const warnings = [...(s.g.truncated ? ['This genealogy was cut short by the depth or size limit; raise the depth to see more.'] : []), ...s.notes].map(
    (n) => h('p', { class: 'warning' }, n),
  );

  if (s.recall) {
    const r = s.recall;
    const names = (ids: string[], kind: Kind) => ids.map((id) => partyName(s.g, kind, id));
    fill(body, 
      h('h3', {}, `Recall of ${r.lot}`),
      h(
        'ol',
        { class: 'answers' },
        answer('source', 'Where was it made?', plural(r.source_batches.length, 'source batch'), r.source_batches.length ? r.source_batches : ['received, not made here']),
        answer(
          'ingredient',
          'What went into it?',
          `${plural(r.ingredients.lots.length, 'lot')}, ${plural(r.ingredients.batches.length, 'batch')}, ${plural(r.ingredients.suppliers.length, 'supplier')}`,
          names(r.ingredients.suppliers, 'supplier'),
        ),
        answer(
          'customer',
          'Who received it?',
          `${plural(r.affected.customers.length, 'customer')}, ${plural(r.affected.lots.length, 'lot')}, ${plural(r.affected.shipments.length, 'shipment line')}`,
          names(r.affected.customers, 'customer'),
        ),
      ),
      shipmentTable(r),
      ...warnings,
    );
    return (
      `Recall of ${r.lot}: made in ${plural(r.source_batches.length, 'batch')}; ` +
      `${plural(r.ingredients.lots.length, 'ingredient lot')} from ${plural(r.ingredients.suppliers.length, 'supplier')}; ` +
      `${plural(r.affected.lots.length, 'affected lot')} shipped to ${plural(r.affected.customers.length, 'customer')}.`
    );
  }
  const c = summaryCounts(s.g);
  const title = `${s.mode === 'both' ? 'Trace' : s.mode === 'backward' ? 'Backward trace' : 'Forward trace'} of ${s.lot}`;
  fill(body, 
    h('h3', {}, title),
    h('dl', { class: 'counts' }, ...KINDS.flatMap((k) => [h('dt', {}, KIND_NAMES[k]), h('dd', {}, formatNumber(c[k]))])),
    ...warnings,
  );
  return `${title}: ${KINDS.map((k) => plural(c[k], k)).join(', ')}.`;
}

function answer(role: Role, question: string, counts: string, items: string[]): HTMLElement {
  const shown = items.slice(0, 12);
  return h(
    'li',
    {},
    h('p', { class: 'question' }, roleSwatch(role), h('strong', {}, question), ' ', h('span', { class: 'count' }, counts)),
    shown.length ? h('p', { class: 'items' }, shown.join(', ') + (items.length > shown.length ? ` and ${items.length - shown.length} more` : '')) : null,
  );
}

function shipmentTable(r: Recall): HTMLElement | null {
  const lines = r.affected.shipments;
  if (lines.length === 0) return h('p', { class: 'hint' }, 'No shipment of an affected lot.');
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
export function renderFolded(box: HTMLElement, g: Genealogy, view: View, expand: (level: number) => void): void {
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
          h('button', { type: 'button', class: 'ghost', onclick: () => expand(f.level) }, `Show ${formatNumber(Math.min(EXPAND_STEP, f.hidden.length))} more`),
        ),
      ),
    ),
  );
}

export interface ListHandlers {
  select(id: string): void;
  expand(level: number): void;
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
              h('button', { type: 'button', class: 'node-item more', tabindex: -1, onclick: () => on.expand(f.level) }, `Show more of level ${signed(f.level)} (${formatNumber(f.hidden.length)} hidden)`),
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
