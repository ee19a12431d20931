import { describe, expect, it } from 'vitest';
import type { ElementDefinition } from 'cytoscape';
import type { Recall, Trace } from './api';
import { bakeryTrace, recallFG1 } from './bakery.fixture';
import {
  addTrace, flow, foldedID, kdeEvents, levels, newGenealogy, nodeLabel, planView, quantityLabel, recallRoles, toElements,
  type Genealogy,
} from './graph';
// Real answers of the service, kept as the Go integration tests' golden files.
import fg3Backward from '../../test/testdata/golden/trace_fg3_backward.json';
import flourForward from '../../test/testdata/golden/trace_flour_forward.json';
import recallGolden from '../../test/testdata/golden/recall_fg1.json';

const elementsOf = (t: Trace, roles?: Map<string, never>) => {
  const g = addTrace(newGenealogy(t.root), t);
  const l = levels(g);
  return toElements(g, l, planView(g, l), roles);
};
const nodes = (els: ElementDefinition[]) => els.filter((e) => e.group === 'nodes');
const edges = (els: ElementDefinition[]) => els.filter((e) => e.group === 'edges');
const byId = (els: ElementDefinition[], id: string) => els.find((e) => e.data.id === id);

describe('toElements', () => {
  it.each([
    ['FG-3 backward', fg3Backward as unknown as Trace],
    ['FLOUR-A forward', flourForward as unknown as Trace],
    ['FG-1 both (double)', bakeryTrace('FG-1', 'both')],
  ])('draws every node and edge of the %s trace once', (_, trace) => {
    const els = elementsOf(trace);
    expect(nodes(els)).toHaveLength(trace.nodes.length);
    expect(edges(els)).toHaveLength(trace.edges.length);
    const ids = new Set(nodes(els).map((n) => n.data.id));
    for (const e of edges(els)) {
      expect(ids).toContain(e.data.source);
      expect(ids).toContain(e.data.target);
    }
  });

  it('keeps two shipments of one lot to one customer as two edges with their quantities', () => {
    const els = elementsOf(bakeryTrace('FG-1', 'forward'));
    const shipped = edges(els).filter((e) => e.data.source === 'lot:FG-1' && e.data.target === 'customer:CUST-A');
    expect(shipped.map((e) => e.data.label).sort()).toEqual(['30 case', '40 case']);
  });

  it('points receipts from the supplier to the lot, so suppliers come first left to right', () => {
    const els = elementsOf(fg3Backward as unknown as Trace);
    const received = edges(els).filter((e) => e.data.type === 'RECEIVED_FROM');
    expect(received).toHaveLength(3);
    for (const e of received) {
      expect(e.data.source).toMatch(/^supplier:/);
      expect(e.data.target).toMatch(/^lot:/);
    }
  });

  it('classes nodes by kind and marks the root', () => {
    const els = elementsOf(fg3Backward as unknown as Trace);
    expect(byId(els, 'lot:FG-3')?.classes).toBe('lot root');
    expect(byId(els, 'batch:B-2')?.classes).toBe('batch');
    expect(byId(els, 'supplier:SUP-MILL')?.data.label).toBe('SUP-MILL Co.\nSUP-MILL');
    expect(byId(els, 'lot:FG-3')?.data.label).toBe('FG-3\nCOOKIE-CRUMB');
  });

  it('marks recall roles and dims the rest', () => {
    const g = addTrace(newGenealogy('FG-1'), bakeryTrace('FG-1', 'both'));
    const l = levels(g);
    const els = toElements(g, l, planView(g, l), recallRoles(recallFG1));
    expect(byId(els, 'lot:FG-1')?.classes).toBe('lot role-complained root');
    expect(byId(els, 'batch:B-1')?.classes).toBe('batch role-source');
    expect(byId(els, 'supplier:SUP-MILL')?.classes).toBe('supplier role-ingredient');
    expect(byId(els, 'customer:CUST-A')?.classes).toBe('customer role-customer');
    expect(edges(els).filter((e) => String(e.classes).includes('dim'))).toEqual([]);
  });
});

describe('addTrace', () => {
  it('merges traces without repeating shared nodes and edges', () => {
    const g = newGenealogy('FG-1');
    addTrace(g, bakeryTrace('FG-1', 'backward'));
    addTrace(g, bakeryTrace('FG-1', 'forward'));
    const both = bakeryTrace('FG-1', 'both');
    expect(g.nodes.size).toBe(both.nodes.length);
    expect(g.edges.size).toBe(both.edges.length);
  });

  it('keeps the truncated flag of any trace merged', () => {
    const g = addTrace(newGenealogy('FG-3'), bakeryTrace('FG-3', 'backward', 1));
    expect(g.truncated).toBe(true);
  });
});

describe('levels', () => {
  it('places each node by its signed distance from the root along the flow', () => {
    const g = addTrace(newGenealogy('FG-1'), bakeryTrace('FG-1', 'both'));
    const l = levels(g);
    expect(Object.fromEntries(['lot:FG-1', 'customer:CUST-A', 'batch:B-1', 'lot:DOUGH-1', 'batch:MIX-1', 'lot:FLOUR-A', 'supplier:SUP-MILL'].map((id) => [id, l.get(id)]))).toEqual({
      'lot:FG-1': 0,
      'customer:CUST-A': 1,
      'batch:B-1': -1,
      'lot:DOUGH-1': -2,
      'batch:MIX-1': -3,
      'lot:FLOUR-A': -4,
      'supplier:SUP-MILL': -5,
    });
  });
});

describe('recallRoles', () => {
  it('gives each answer of the service its role', () => {
    const roles = recallRoles(recallGolden as unknown as Recall);
    expect(roles.get('lot:FG-1')).toBe('complained');
    expect(roles.get('batch:B-1')).toBe('source');
    expect(roles.get('lot:FG-2')).toBe('affected');
    expect(roles.get('batch:B-2')).toBe('affected');
    expect(roles.get('lot:DOUGH-1')).toBe('ingredient');
    expect(roles.get('batch:MIX-1')).toBe('ingredient');
    expect([...roles].filter(([, r]) => r === 'customer').map(([id]) => id)).toEqual(['customer:CUST-A', 'customer:CUST-B', 'customer:CUST-C']);
  });
});

/** wide is one flour lot consumed by n batches, each making one lot shipped to one customer. */
function wide(n: number): Genealogy {
  const g = newGenealogy('FLOUR');
  const nodes = [{ id: 'lot:FLOUR', kind: 'lot' as const, key: 'FLOUR', properties: {} }];
  const edges = [];
  for (let i = 0; i < n; i++) {
    const k = String(i).padStart(5, '0');
    nodes.push({ id: `batch:B${k}`, kind: 'batch' as never, key: `B${k}`, properties: {} });
    nodes.push({ id: `lot:L${k}`, kind: 'lot', key: `L${k}`, properties: {} });
    edges.push({ from: 'lot:FLOUR', to: `batch:B${k}`, type: 'CONSUMED_IN', properties: { line: 1, quantity: 1, unit: 'kg' } });
    edges.push({ from: `batch:B${k}`, to: `lot:L${k}`, type: 'PRODUCED', properties: { line: 1, quantity: 1, unit: 'case' } });
  }
  return addTrace(g, { root: 'FLOUR', direction: 'forward', nodes, edges } as unknown as Trace);
}

describe('planView', () => {
  it('draws everything up to the budget', () => {
    const g = wide(900); // 1,801 nodes
    const view = planView(g, levels(g));
    expect(view.visible.size).toBe(1801);
    expect(view.folded).toEqual([]);
  });

  it('folds the levels beyond the budget, keeps the root, and opens them on demand', () => {
    const g = wide(1500); // 3,001 nodes: 1 at level 0, 1,500 at +1 and at +2
    const l = levels(g);
    let view = planView(g, l);
    expect(view.visible.size).toBe(1501);
    expect(view.folded.map((f) => [f.level, f.hidden.length])).toEqual([[2, 1500]]);

    const els = toElements(g, l, view);
    const drawn = new Set(nodes(els).map((n) => n.data.id));
    expect(drawn).toContain(foldedID(2));
    for (const e of edges(els)) expect(drawn.has(e.data.source) && drawn.has(e.data.target)).toBe(true);
    // 1,500 edges into one folded node are drawn as one per visible batch.
    expect(edges(els).filter((e) => e.classes === 'more-edge')).toHaveLength(1500);

    view = planView(g, l, undefined, new Map([[2, 500]]));
    expect(view.visible.size).toBe(2001);
    expect(view.folded.map((f) => [f.level, f.hidden.length])).toEqual([[2, 1000]]);
    expect(view.visible).toContain('lot:L00000'); // the first in key order come first
  });

  it('keeps the customers beyond a fold in sight, linked to the folded level', () => {
    const g = wide(1500);
    const shipped = { root: 'FLOUR', direction: 'forward', truncated: false, edges: [] as unknown[], nodes: [] as unknown[] };
    for (let c = 0; c < 3; c++) shipped.nodes.push({ id: `customer:C${c}`, kind: 'customer', key: `C${c}`, properties: {} });
    for (let i = 0; i < 1500; i++) {
      const lot = `lot:L${String(i).padStart(5, '0')}`;
      shipped.edges.push({ from: lot, to: `customer:C${i % 3}`, type: 'SHIPPED_TO', properties: { shipment_id: `S${i}`, line: 1 } });
    }
    addTrace(g, shipped as unknown as Trace);
    const l = levels(g);
    const view = planView(g, l);
    expect(view.folded.map((f) => [f.level, f.hidden.length])).toEqual([[2, 1500]]);
    for (let c = 0; c < 3; c++) expect(view.visible).toContain(`customer:C${c}`);
    const els = toElements(g, l, view);
    const intoCustomers = edges(els).filter((e) => String(e.data.target).startsWith('customer:'));
    expect(intoCustomers.map((e) => e.data.source)).toEqual([foldedID(2), foldedID(2), foldedID(2)]);
  });

  it('never folds the root away, even when its own level is too large', () => {
    const g = wide(10);
    const view = planView(g, new Map([...g.nodes.keys()].map((id) => [id, 0])), 5);
    expect(view.visible).toEqual(new Set(['lot:FLOUR']));
    expect(view.folded[0].hidden).toHaveLength(20);
  });
});

describe('labels and events', () => {
  it('formats quantities and leaves edges without one unlabelled', () => {
    expect(quantityLabel({ quantity: 1234.5, unit: 'kg' })).toBe('1,234.5 kg');
    expect(quantityLabel({})).toBe('');
  });

  it('labels a batch with its day', () => {
    expect(nodeLabel({ id: 'batch:B-1', kind: 'batch', key: 'B-1', properties: { produced_at: '2026-10-03T10:00:00Z' } })).toBe('B-1\nmade 2026-10-03');
  });

  it('flows every edge kind from input to output', () => {
    expect(flow({ from: 'lot:A', to: 'supplier:S', type: 'RECEIVED_FROM', properties: {} })).toEqual(['supplier:S', 'lot:A']);
    expect(flow({ from: 'lot:A', to: 'batch:B', type: 'CONSUMED_IN', properties: {} })).toEqual(['lot:A', 'batch:B']);
  });

  it('lists the events of a lot as Key Data Elements', () => {
    const g = addTrace(newGenealogy('FG-2'), bakeryTrace('FG-2', 'both'));
    expect(kdeEvents(g, 'lot:FG-2').map((e) => `${e.event} ${e.other?.key}`).sort()).toEqual([
      'Shipping CUST-B',
      'Transformation input B-2',
      'Transformation output B-1',
    ]);
  });
});
