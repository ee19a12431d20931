// From API answers to graph elements: merging traces, levels, recall roles, collapsing large
// genealogies and the Cytoscape element definitions. Pure functions, unit tested.

import type { ElementDefinition } from 'cytoscape';
import type { Kind, Props, Recall, TraceEdge, TraceGraph, TraceNode } from './api';

/** Role is how a node stands in a recall, each highlighted distinctly. */
export type Role = 'complained' | 'source' | 'ingredient' | 'affected' | 'customer';
export const ROLES: Role[] = ['complained', 'source', 'ingredient', 'affected', 'customer'];

export const KINDS: Kind[] = ['supplier', 'lot', 'batch', 'customer'];

/** Genealogy is the union of one or more traces of one root lot, without duplicates. */
export interface Genealogy {
  root: string; // node id of the root lot
  nodes: Map<string, TraceNode>;
  edges: Map<string, TraceEdge>; // by edgeID
  truncated: boolean;
}

export const lotID = (code: string): string => `lot:${code}`;

export function newGenealogy(rootCode: string): Genealogy {
  return { root: lotID(rootCode), nodes: new Map(), edges: new Map(), truncated: false };
}

/**
 * addTrace merges a trace into g. Edges carry no id in the API, so one is made from what
 * tells two stored relationships apart (type, ends, shipment and line); a repeat of the same
 * key inside one trace still counts as its own edge.
 */
export function addTrace(g: Genealogy, t: TraceGraph): Genealogy {
  for (const n of t.nodes) if (!g.nodes.has(n.id)) g.nodes.set(n.id, n);
  const seen = new Map<string, number>();
  for (const e of t.edges) {
    const base = edgeKey(e);
    const i = seen.get(base) ?? 0;
    seen.set(base, i + 1);
    const id = i === 0 ? base : `${base}#${i}`;
    if (!g.edges.has(id)) g.edges.set(id, e);
  }
  g.truncated ||= t.truncated;
  return g;
}

export function edgeKey(e: TraceEdge): string {
  const p = e.properties;
  return [e.type, e.from, e.to, p.shipment_id ?? '', p.line ?? ''].join('|');
}

/** flow gives an edge's ends the way material moves: supplier → lot → batch → lot → customer. */
export function flow(e: TraceEdge): [source: string, target: string] {
  return e.type === 'RECEIVED_FROM' ? [e.to, e.from] : [e.from, e.to];
}

/**
 * levels places every node by its signed distance from the root along the flow: the batch
 * that made the root is -1, its ingredients -2, the root's customers +1. Upstream nodes are
 * placed by walking against the flow only and downstream ones with it, so that a supplier
 * or a customer shared across a long chain does not pull the chain's far end next to the
 * root. The rest (sibling lots, what they went into, nodes a cut trace left unlinked) are
 * placed from their nearest placed neighbour, and those no path links to the root from the
 * first of them, at 0.
 */
export function levels(g: Genealogy): Map<string, number> {
  const adj = new Map<string, [string, number][]>();
  const link = (a: string, b: string, step: number) => {
    let list = adj.get(a);
    if (!list) adj.set(a, (list = []));
    list.push([b, step]);
  };
  for (const e of g.edges.values()) {
    const [s, t] = flow(e);
    link(s, t, 1);
    link(t, s, -1);
  }
  const level = new Map<string, number>();
  // With the flow (step +1) and against it (step -1), from the root only.
  const directed = (step: number) => {
    const queue = [g.root];
    for (let i = 0; i < queue.length; i++) {
      const at = queue[i];
      for (const [next, s] of adj.get(at) ?? []) {
        if (s !== step || level.has(next)) continue;
        level.set(next, level.get(at)! + step);
        queue.push(next);
      }
    }
  };
  // Then every other node from the placed ones, nearest the root first.
  const spread = (queue: string[]) => {
    for (let i = 0; i < queue.length; i++) {
      const at = queue[i];
      for (const [next, step] of adj.get(at) ?? []) {
        if (level.has(next)) continue;
        level.set(next, level.get(at)! + step);
        queue.push(next);
      }
    }
  };
  if (g.nodes.has(g.root)) {
    level.set(g.root, 0);
    directed(-1);
    directed(1);
    spread([...level.keys()].sort((a, b) => Math.abs(level.get(a)!) - Math.abs(level.get(b)!)));
  }
  for (const id of [...g.nodes.keys()].sort()) {
    if (level.has(id)) continue;
    level.set(id, 0);
    spread([id]);
  }
  return level;
}

/** recallRoles tells each node of a recall its role; the first that applies wins. */
export function recallRoles(r: Recall): Map<string, Role> {
  const roles = new Map<string, Role>();
  const put = (ids: string[], role: Role) => {
    for (const id of ids) if (!roles.has(id)) roles.set(id, role);
  };
  put([lotID(r.lot)], 'complained');
  put(r.source_batches.map((b) => `batch:${b}`), 'source');
  put(r.affected.customers.map((c) => `customer:${c}`), 'customer');
  put([...r.affected.lots.map(lotID), ...r.affected.batches.map((b) => `batch:${b}`)], 'affected');
  put(
    [...r.ingredients.lots.map(lotID), ...r.ingredients.batches.map((b) => `batch:${b}`), ...r.ingredients.suppliers.map((s) => `supplier:${s}`)],
    'ingredient',
  );
  return roles;
}

/** View is what is drawn of a genealogy: the visible nodes and, per level, what is folded away. */
export interface View {
  visible: Set<string>;
  folded: Folded[];
  groups?: Group[]; // a recall's runs (fold.ts), each drawn as one node
}

/** Group is a folded set of nodes drawn as one node with its own id, label and classes. */
export interface Group {
  id: string;
  hidden: string[];
  level: number;
  label: string;
  classes: string;
  data?: Record<string, unknown>;
  links?: [source: string, target: string][]; // edges to draw besides those of its hidden nodes
}

export interface Folded {
  level: number;
  hidden: string[]; // node ids, in the order they would be shown
}

/** COLLAPSE_ABOVE is the node count from which a genealogy is folded by level. */
export const COLLAPSE_ABOVE = 2000;
/** PARTIES_SHOWN is how many suppliers and customers stay visible beyond a fold. */
export const PARTIES_SHOWN = 300;
/** EXPAND_STEP is how many nodes one "show more" of a folded level reveals. */
export const EXPAND_STEP = 500;

/**
 * planView keeps whole levels, nearest the root first, while they fit in the budget; the
 * level that does not fit and every level beyond it are folded, less what the person asked
 * to see (shown: level → count). The root is always visible.
 */
export function planView(g: Genealogy, level: Map<string, number>, budget = COLLAPSE_ABOVE, shown = new Map<number, number>()): View {
  const byLevel = new Map<number, string[]>();
  for (const id of g.nodes.keys()) {
    const l = level.get(id) ?? 0;
    let list = byLevel.get(l);
    if (!list) byLevel.set(l, (list = []));
    list.push(id);
  }
  const order = [...byLevel.keys()].sort((a, b) => Math.abs(a) - Math.abs(b) || a - b);
  const visible = new Set<string>();
  const folded: Folded[] = [];
  let cut = g.nodes.size <= budget ? Infinity : budget;
  for (const l of order) {
    const ids = byLevel.get(l)!.sort((a, b) => (a === g.root ? -1 : b === g.root ? 1 : compareNodes(g, a, b)));
    let take = ids.length;
    if (visible.size + ids.length > cut) {
      cut = 0; // this level and every one beyond is folded
      take = Math.min(ids.length, shown.get(l) ?? 0);
      if (l === 0) take = Math.max(take, 1);
    }
    for (const id of ids.slice(0, take)) visible.add(id);
    if (take < ids.length) folded.push({ level: l, hidden: ids.slice(take) });
  }
  // Suppliers and customers are what a recall acts on, and there are few of them: keep them
  // in sight beyond a fold (their edges then come from the folded level's node).
  let parties = 0;
  for (const f of folded) {
    f.hidden = f.hidden.filter((id) => {
      const kind = g.nodes.get(id)!.kind;
      if ((kind !== 'supplier' && kind !== 'customer') || parties >= PARTIES_SHOWN) return true;
      parties++;
      visible.add(id);
      return false;
    });
  }
  return { visible, folded: folded.filter((f) => f.hidden.length > 0) };
}

export function compareNodes(g: Genealogy, a: string, b: string): number {
  const na = g.nodes.get(a)!;
  const nb = g.nodes.get(b)!;
  return KINDS.indexOf(na.kind) - KINDS.indexOf(nb.kind) || (na.key < nb.key ? -1 : na.key > nb.key ? 1 : 0);
}

export const foldedID = (level: number): string => `more:${level}`;

/** toElements turns the visible part of a genealogy into Cytoscape elements. */
export function toElements(g: Genealogy, level: Map<string, number>, view: View, roles?: Map<string, Role>): ElementDefinition[] {
  const out: ElementDefinition[] = [];
  for (const id of view.visible) {
    const n = g.nodes.get(id)!;
    const role = roles?.get(id);
    const classes = [n.kind, role ? `role-${role}` : roles ? 'role-none' : '', id === g.root ? 'root' : ''].filter(Boolean).join(' ');
    const label = nodeLabel(n);
    out.push({ group: 'nodes', data: { id, kind: n.kind, key: n.key, label, level: level.get(id) ?? 0, role, ...nodeSize(n.kind, label) }, classes });
  }
  const hiddenAt = new Map<string, string>();
  for (const f of view.folded) {
    for (const id of f.hidden) hiddenAt.set(id, foldedID(f.level));
    out.push({
      group: 'nodes',
      data: { id: foldedID(f.level), kind: 'more', key: '', label: foldedLabel(g, f), level: f.level, w: 420, h: 96 },
      classes: 'more',
    });
  }
  for (const grp of view.groups ?? []) {
    for (const id of grp.hidden) hiddenAt.set(id, grp.id);
    out.push({ group: 'nodes', data: { id: grp.id, kind: 'more', key: '', label: grp.label, level: grp.level, w: 300, h: 16 + 19 * grp.label.split('\n').length, ...grp.data }, classes: grp.classes });
    for (const [s, t] of grp.links ?? []) {
      out.push({ group: 'edges', data: { id: `more-link:${s}->${t}`, source: s, target: t, type: 'FOLDED', label: '' }, classes: 'more-edge' });
    }
  }
  const folded = new Set<string>();
  for (const [id, e] of g.edges) {
    const [s, t] = flow(e);
    if (view.visible.has(s) && view.visible.has(t)) {
      const dim = roles && !(roles.has(s) && roles.has(t));
      const classes = e.type.toLowerCase() + (dim ? ' dim' : '');
      out.push({ group: 'edges', data: { id, source: s, target: t, type: e.type, label: quantityLabel(e.properties) }, classes });
      continue;
    }
    const fs = hiddenAt.get(s) ?? s;
    const ft = hiddenAt.get(t) ?? t;
    const key = `${fs}->${ft}`;
    if (fs === ft || folded.has(key) || !(view.visible.has(fs) || hiddenAt.has(s)) || !(view.visible.has(ft) || hiddenAt.has(t))) continue;
    folded.add(key);
    out.push({ group: 'edges', data: { id: `more-edge:${key}`, source: fs, target: ft, type: 'FOLDED', label: '' }, classes: 'more-edge' });
  }
  return out;
}

/** nodeSize fits a node around its label (about 7 px a character at the 12 px font),
 * with room for the shape's corners; a very long code wraps inside the widest node. */
export function nodeSize(kind: string, label: string): { w: number; h: number } {
  const lines = label.split('\n');
  const longest = Math.max(...lines.map((l) => l.length));
  const extra = kind === 'batch' ? 50 : kind === 'customer' ? 40 : kind === 'supplier' ? 26 : 20;
  const w = Math.round(Math.min(270, Math.max(84, longest * 7 + extra)));
  const wrapped = lines.reduce((n, l) => n + Math.max(1, Math.ceil((l.length * 7) / (w - extra))), 0);
  return { w, h: Math.max(42, wrapped * 15 + 12) };
}

export function foldedLabel(g: Genealogy, f: Folded): string {
  return `+${foldedCounts(g, f)}\nlevel ${signed(f.level)}: show more`;
}

/** foldedCounts says what a fold hides: "1,500 lots, 2 batches". */
export function foldedCounts(g: Genealogy, f: Folded): string {
  const counts = new Map<Kind, number>();
  for (const id of f.hidden) {
    const k = g.nodes.get(id)!.kind;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return KINDS.filter((k) => counts.has(k))
    .map((k) => plural(counts.get(k)!, k))
    .join(', ');
}

export function nodeLabel(n: TraceNode): string {
  const p = n.properties;
  switch (n.kind) {
    case 'lot':
      return [n.key, str(p.product)].filter(Boolean).join('\n');
    case 'batch':
      return [n.key, p.produced_at ? `made ${String(p.produced_at).slice(0, 10)}` : ''].filter(Boolean).join('\n');
    default: {
      const name = str(p.name);
      return name && name !== n.key ? `${name}\n${n.key}` : n.key;
    }
  }
}

/** quantityLabel is the "40 case" of an edge, or nothing when it carries no quantity. */
export function quantityLabel(p: Props): string {
  if (typeof p.quantity !== 'number') return '';
  return `${formatNumber(p.quantity)} ${str(p.unit)}`.trim();
}

// One formatter for all: toLocaleString builds one a call, a tenth of a 500-node render.
const numbers = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

export function formatNumber(n: number): string {
  return numbers.format(n);
}

export function plural(n: number, word: string): string {
  const many = word.endsWith('ch') ? `${word}es` : `${word}s`;
  return `${formatNumber(n)} ${n === 1 ? word : many}`;
}

export const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

function str(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

/** KDEEvent is one critical tracking event a node took part in, as the genealogy shows it. */
export interface KDEEvent {
  event: 'Receiving' | 'Shipping' | 'Transformation input' | 'Transformation output';
  other: TraceNode | undefined; // the node at the edge's other end
  properties: Props;
}

/** kdeEvents lists the events on a node's edges, the Key Data Elements of FSMA 204. */
export function kdeEvents(g: Genealogy, id: string): KDEEvent[] {
  const out: KDEEvent[] = [];
  for (const e of g.edges.values()) {
    if (e.from !== id && e.to !== id) continue;
    const other = g.nodes.get(e.from === id ? e.to : e.from);
    const event =
      e.type === 'RECEIVED_FROM' ? 'Receiving' : e.type === 'SHIPPED_TO' ? 'Shipping' : e.type === 'CONSUMED_IN' ? 'Transformation input' : 'Transformation output';
    out.push({ event, other, properties: e.properties });
  }
  return out;
}

/** summaryCounts counts a genealogy's nodes by kind (the visible and folded alike). */
export function summaryCounts(g: Genealogy): Record<Kind, number> {
  const c: Record<Kind, number> = { supplier: 0, lot: 0, batch: 0, customer: 0 };
  for (const n of g.nodes.values()) c[n.kind]++;
  return c;
}
