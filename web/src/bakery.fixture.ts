// A test double of the service's traces over the bakery history of test/bakery_test.go,
// following the rules of ../../shared/API.md, so the mapping is tested on realistic answers.

import type { Direction, Kind, Recall, Trace, TraceEdge, TraceNode } from './api';

const node = (kind: Kind, key: string, properties: Record<string, unknown> = {}): TraceNode => ({ id: `${kind}:${key}`, kind, key, properties: { ...properties } });

const lots: TraceNode[] = [
  node('lot', 'FLOUR-A', { product: 'FLOUR', origin: 'receipt', quantity: 1000, unit: 'kg' }),
  node('lot', 'SALT-A', { product: 'SALT', origin: 'receipt', quantity: 100, unit: 'kg' }),
  node('lot', 'CHIPS-A', { product: 'CHOC-CHIPS', origin: 'receipt', quantity: 200, unit: 'kg' }),
  node('lot', 'DOUGH-1', { product: 'DOUGH', origin: 'production', batch_id: 'MIX-1' }),
  node('lot', 'FG-1', { product: 'COOKIE-12', origin: 'production', batch_id: 'B-1' }),
  node('lot', 'FG-2', { product: 'COOKIE-24', origin: 'production', batch_id: 'B-1' }),
  node('lot', 'FG-3', { product: 'COOKIE-CRUMB', origin: 'production', batch_id: 'B-2' }),
];
const others: TraceNode[] = [
  node('batch', 'MIX-1', { produced_at: '2026-10-03T06:00:00Z' }),
  node('batch', 'B-1', { produced_at: '2026-10-03T10:00:00Z' }),
  node('batch', 'B-2', { produced_at: '2026-10-04T10:00:00Z' }),
  node('supplier', 'SUP-MILL', { name: 'SUP-MILL Co.' }),
  node('supplier', 'SUP-SALT', { name: 'SUP-SALT Co.' }),
  node('supplier', 'SUP-CHOC', { name: 'SUP-CHOC Co.' }),
  node('customer', 'CUST-A', { name: 'CUST-A Store' }),
  node('customer', 'CUST-B', { name: 'CUST-B Store' }),
  node('customer', 'CUST-C', { name: 'CUST-C Store' }),
];
export const bakeryNodes = new Map([...lots, ...others].map((n) => [n.id, n]));

const e = (type: string, from: string, to: string, properties: Record<string, unknown>): TraceEdge => ({ type, from, to, properties });
const ship = (lot: string, cust: string, id: string, qty: number) =>
  e('SHIPPED_TO', `lot:${lot}`, `customer:${cust}`, { shipment_id: id, line: 1, quantity: qty, unit: 'case', shipped_at: '2026-10-05T16:00:00Z' });

export const bakeryEdges: TraceEdge[] = [
  e('RECEIVED_FROM', 'lot:FLOUR-A', 'supplier:SUP-MILL', { quantity: 1000, unit: 'kg', received_at: '2026-10-01T07:00:00Z' }),
  e('RECEIVED_FROM', 'lot:SALT-A', 'supplier:SUP-SALT', { quantity: 100, unit: 'kg' }),
  e('RECEIVED_FROM', 'lot:CHIPS-A', 'supplier:SUP-CHOC', { quantity: 200, unit: 'kg' }),
  e('CONSUMED_IN', 'lot:FLOUR-A', 'batch:MIX-1', { line: 1, quantity: 100, unit: 'kg' }),
  e('CONSUMED_IN', 'lot:SALT-A', 'batch:MIX-1', { line: 2, quantity: 2, unit: 'kg' }),
  e('PRODUCED', 'batch:MIX-1', 'lot:DOUGH-1', { line: 1, quantity: 100, unit: 'kg' }),
  e('CONSUMED_IN', 'lot:DOUGH-1', 'batch:B-1', { line: 1, quantity: 50, unit: 'kg' }),
  e('CONSUMED_IN', 'lot:CHIPS-A', 'batch:B-1', { line: 2, quantity: 10, unit: 'kg' }),
  e('PRODUCED', 'batch:B-1', 'lot:FG-1', { line: 1, quantity: 100, unit: 'case' }),
  e('PRODUCED', 'batch:B-1', 'lot:FG-2', { line: 2, quantity: 50, unit: 'case' }),
  e('CONSUMED_IN', 'lot:DOUGH-1', 'batch:B-2', { line: 1, quantity: 50, unit: 'kg' }),
  e('CONSUMED_IN', 'lot:FG-2', 'batch:B-2', { line: 2, quantity: 5, unit: 'case' }),
  e('PRODUCED', 'batch:B-2', 'lot:FG-3', { line: 1, quantity: 80, unit: 'case' }),
  ship('FG-1', 'CUST-A', 'SH-1', 40),
  ship('FG-1', 'CUST-A', 'SH-2', 30),
  ship('FG-2', 'CUST-B', 'SH-3', 20),
  ship('FG-3', 'CUST-C', 'SH-4', 80),
];

const transformation = (t: string) => t === 'PRODUCED' || t === 'CONSUMED_IN';

/** bakeryTrace answers as GET /lots/{code}/trace would on the bakery. */
export function bakeryTrace(code: string, direction: Direction, depth = 25): Trace {
  const reached = new Set<string>();
  const edges = new Map<TraceEdge, true>();
  const walk = (forward: boolean) => {
    let frontier = [`lot:${code}`];
    const seen = new Set(frontier);
    for (let hop = 0; hop <= 2 * depth && frontier.length; hop++) {
      const next: string[] = [];
      for (const id of frontier) {
        reached.add(id);
        if (hop === 2 * depth) continue;
        for (const x of bakeryEdges.filter((x) => transformation(x.type) && (forward ? x.from : x.to) === id)) {
          const other = forward ? x.to : x.from;
          if (!seen.has(other)) next.push(other), seen.add(other);
        }
      }
      frontier = next;
    }
    for (const id of seen) {
      for (const x of bakeryEdges) {
        const party = forward ? x.type === 'SHIPPED_TO' : x.type === 'RECEIVED_FROM';
        if (party && x.from === id) edges.set(x, true), reached.add(x.to);
        if (transformation(x.type) && (forward ? x.from : x.to) === id && seen.has(x.from) && seen.has(x.to)) edges.set(x, true);
      }
    }
    return [...seen].some((id) => bakeryEdges.some((x) => transformation(x.type) && (forward ? x.from : x.to) === id && !seen.has(forward ? x.to : x.from)));
  };
  let truncated = false;
  if (direction !== 'forward') truncated = walk(false) || truncated;
  if (direction !== 'backward') truncated = walk(true) || truncated;
  const nodes = [...reached].sort().map((id) => bakeryNodes.get(id)!);
  const keys = (k: Kind) => nodes.filter((n) => n.kind === k).map((n) => n.key);
  return {
    root: code, direction, nodes, edges: [...edges.keys()], lots: keys('lot'), batches: keys('batch'),
    suppliers: keys('supplier'), customers: keys('customer'), truncated, took_ms: 1,
  };
}

/** recallFG1 is the service's recall of FG-1 (test/testdata/golden/recall_fg1.json). */
export const recallFG1: Recall = {
  lot: 'FG-1',
  source_batches: ['B-1'],
  ingredients: { lots: ['CHIPS-A', 'DOUGH-1', 'FLOUR-A', 'SALT-A'], batches: ['MIX-1'], suppliers: ['SUP-CHOC', 'SUP-MILL', 'SUP-SALT'] },
  affected: {
    lots: ['FG-1', 'FG-2', 'FG-3'],
    batches: ['B-2'],
    customers: ['CUST-A', 'CUST-B', 'CUST-C'],
    shipments: [
      { id: 'SH-1', line: 1, customer: 'CUST-A', lot: 'FG-1', quantity: 40, unit: 'case', shipped_at: '2026-10-05T16:00:00Z' },
      { id: 'SH-2', line: 1, customer: 'CUST-A', lot: 'FG-1', quantity: 30, unit: 'case', shipped_at: '2026-10-06T16:00:00Z' },
      { id: 'SH-3', line: 1, customer: 'CUST-B', lot: 'FG-2', quantity: 20, unit: 'case', shipped_at: '2026-10-06T17:00:00Z' },
      { id: 'SH-4', line: 1, customer: 'CUST-C', lot: 'FG-3', quantity: 80, unit: 'case', shipped_at: '2026-10-07T16:00:00Z' },
    ],
  },
  truncated: false,
  took_ms: 2,
};
