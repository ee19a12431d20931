// From console answers to what the console shows: compact table cells, and the nodes and
// relationships of the answer as Cytoscape elements for the explorer's renderer. Pure
// functions, unit tested.

import type { ElementDefinition } from 'cytoscape';
import type { CypherNode, CypherPath, CypherRelationship, CypherResult, Kind, Props } from './api';
import { flow, formatNumber, KINDS, nodeLabel, nodeSize, quantityLabel } from './graph';

// The wire shapes of api/wire_cypher.go, told apart by their exact keys (a map returned by a
// query with just these keys would pass for one: the wire format has no type tag).
const sameKeys = (v: object, keys: string[]) => {
  const own = Object.keys(v);
  return own.length === keys.length && keys.every((k) => own.includes(k));
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const isNode = (v: unknown): v is CypherNode => isObject(v) && sameKeys(v, ['id', 'labels', 'properties']) && Array.isArray(v.labels);
export const isRelationship = (v: unknown): v is CypherRelationship => isObject(v) && sameKeys(v, ['id', 'type', 'start', 'end', 'properties']);
export const isPath = (v: unknown): v is CypherPath =>
  isObject(v) && sameKeys(v, ['nodes', 'relationships']) && Array.isArray(v.nodes) && Array.isArray(v.relationships);

/** cutNotice says which of the server's caps cut an answer, or nothing when it is whole. */
export function cutNotice(res: Pick<CypherResult, 'rows' | 'truncated' | 'cut_by'>): string {
  if (!res.truncated) return '';
  const rows = formatNumber(res.rows.length);
  if (res.cut_by === 'max_bytes') return `Cut after ${rows} rows at the server's answer size cap: return fewer or smaller values, or add LIMIT.`;
  return `Cut at ${rows} rows, the server's row cap: narrow the query or add LIMIT.`;
}

/** kindOf is the explorer's kind of a node with one of the graph's four labels. */
export function kindOf(n: CypherNode): Kind | undefined {
  return KINDS.find((k) => n.labels.some((l) => l.toLowerCase() === k));
}

/** keyOf is the property that names a node: a lot's code, else an id or a name. */
export function keyOf(n: CypherNode): string {
  const p = n.properties;
  const key = p.code ?? p.id ?? p.name;
  return key === undefined || key === null ? '' : String(key);
}

/** Cell is one table cell: its text, what it holds, and for nodes and relationships the
 * kind to colour it by and every property (as a tooltip). */
export interface Cell {
  text: string;
  type: 'node' | 'relationship' | 'path' | 'null' | 'value';
  kind?: Kind | 'other';
  title?: string;
}

/** CELL_CHARS is the longest text a cell shows; its tooltip or the graph has the rest. */
export const CELL_CHARS = 400;

export function toCell(v: unknown): Cell {
  const cut = (s: string) => (s.length > CELL_CHARS ? `${s.slice(0, CELL_CHARS - 1)}…` : s);
  if (v === null || v === undefined) return { text: 'null', type: 'null' };
  if (isNode(v)) return { text: cut(nodeText(v)), type: 'node', kind: kindOf(v) ?? 'other', title: propsText(v.properties) };
  if (isRelationship(v)) return { text: cut(relText(v)), type: 'relationship', title: propsText(v.properties) };
  if (isPath(v)) return { text: cut(pathText(v)), type: 'path', title: `${v.relationships.length} relationships` };
  if (typeof v === 'string') return { text: cut(v), type: 'value' };
  return { text: cut(compact(v)), type: 'value' };
}

/** nodeText is "(:Lot FG-1)": the labels and the naming property. */
export function nodeText(n: CypherNode): string {
  const key = keyOf(n);
  return `(${n.labels.map((l) => `:${l}`).join('')}${key ? ` ${key}` : ''})`;
}

/** relText is "[:SHIPPED_TO 40 case]": the type and the quantity it carries, if any. */
export function relText(r: CypherRelationship): string {
  const q = quantityLabel(r.properties);
  return `[:${r.type}${q ? ` ${q}` : ''}]`;
}

/** pathText writes a path the way Cypher does, each arrow the way its relationship points. */
export function pathText(p: CypherPath): string {
  if (p.nodes.length === 0) return '()';
  let out = nodeText(p.nodes[0]);
  p.relationships.forEach((r, i) => {
    const forward = r.start === p.nodes[i]?.id;
    out += forward ? `-[:${r.type}]->` : `<-[:${r.type}]-`;
    out += p.nodes[i + 1] ? nodeText(p.nodes[i + 1]) : '()';
  });
  return out;
}

/** compact writes lists and maps as Cypher literals, with graph values in their short form. */
function compact(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (isNode(v)) return nodeText(v);
  if (isRelationship(v)) return relText(v);
  if (isPath(v)) return pathText(v);
  if (Array.isArray(v)) return `[${v.map(compact).join(', ')}]`;
  if (isObject(v)) return `{${Object.entries(v).map(([k, x]) => `${k}: ${compact(x)}`).join(', ')}}`;
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function propsText(p: Props): string {
  return Object.keys(p)
    .sort()
    .map((k) => `${k}: ${compact(p[k])}`)
    .join('\n');
}

/** ResultGraph is every node and relationship found in an answer, once each, in order. */
export interface ResultGraph {
  nodes: Map<string, CypherNode>;
  relationships: Map<string, CypherRelationship>;
}

/** resultGraph collects the nodes and relationships of the rows, inside lists, maps and paths too. */
export function resultGraph(rows: unknown[][]): ResultGraph {
  const g: ResultGraph = { nodes: new Map(), relationships: new Map() };
  const visit = (v: unknown): void => {
    if (isNode(v)) {
      if (!g.nodes.has(v.id)) g.nodes.set(v.id, v);
    } else if (isRelationship(v)) {
      if (!g.relationships.has(v.id)) g.relationships.set(v.id, v);
    } else if (isPath(v)) {
      v.nodes.forEach(visit);
      v.relationships.forEach(visit);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (isObject(v)) Object.values(v).forEach(visit);
  };
  rows.forEach(visit);
  return g;
}

/** MAX_GRAPH_NODES is the most nodes the console draws; the table holds every row. */
export const MAX_GRAPH_NODES = 2000;

export interface ResultElements {
  elements: ElementDefinition[];
  nodes: number; // drawn
  edges: number; // drawn
  leftOut: number; // nodes beyond MAX_GRAPH_NODES
  loose: number; // relationships whose ends are not both drawn
}

export const nodeElementID = (id: string): string => `n:${id}`;

/**
 * resultElements turns the answer's graph into elements styled as the explorer's: nodes by
 * kind, relationships drawn the way material moves (supplier → lot). A relationship is drawn
 * only when the answer holds both its ends.
 */
export function resultElements(g: ResultGraph, max = MAX_GRAPH_NODES): ResultElements {
  const out: ElementDefinition[] = [];
  const drawn = new Set<string>();
  for (const n of [...g.nodes.values()].slice(0, max)) {
    const kind = kindOf(n);
    const key = keyOf(n);
    const label = kind ? nodeLabel({ id: n.id, kind, key: key || n.labels.join(':'), properties: n.properties }) : [n.labels.join(':'), key].filter(Boolean).join('\n') || '(node)';
    drawn.add(n.id);
    out.push({ group: 'nodes', data: { id: nodeElementID(n.id), nodeId: n.id, kind: kind ?? 'other', key, label, ...nodeSize(kind ?? 'lot', label) }, classes: kind ?? 'other' });
  }
  let edges = 0;
  for (const r of g.relationships.values()) {
    if (!drawn.has(r.start) || !drawn.has(r.end)) continue;
    const [s, t] = flow({ from: r.start, to: r.end, type: r.type, properties: r.properties });
    out.push({
      group: 'edges',
      data: { id: `r:${r.id}`, source: nodeElementID(s), target: nodeElementID(t), type: r.type, label: quantityLabel(r.properties) },
      classes: r.type.toLowerCase(),
    });
    edges++;
  }
  return { elements: out, nodes: drawn.size, edges, leftOut: Math.max(0, g.nodes.size - max), loose: g.relationships.size - edges };
}
