import { describe, expect, it } from 'vitest';
import type { CypherNode, CypherRelationship } from './api';
import { CELL_CHARS, cutNotice, isNode, isPath, isRelationship, pathText, resultElements, resultGraph, toCell } from './console-results';

// Values as POST /api/v1/cypher answers them (api/wire_cypher.go).
const node = (id: string, label: string, properties: Record<string, unknown>): CypherNode => ({ id, labels: [label], properties });
const rel = (id: string, type: string, start: string, end: string, properties: Record<string, unknown> = {}): CypherRelationship => ({
  id, type, start, end, properties,
});
const flour = node('4:x:1', 'Lot', { code: 'FLOUR-A', product: 'FLOUR', quantity: 1000, unit: 'kg' });
const dough = node('4:x:2', 'Lot', { code: 'DOUGH-1', product: 'DOUGH', quantity: 100, unit: 'kg' });
const mix = node('4:x:3', 'Batch', { id: 'MIX-1', produced_at: '2026-10-03T06:00:00Z' });
const mill = node('4:x:4', 'Supplier', { id: 'SUP-MILL', name: 'Prairie Mill Co.' });
const shop = node('4:x:5', 'Customer', { id: 'CUST-A', name: 'Corner Grocer' });
const used = rel('5:x:1', 'CONSUMED_IN', flour.id, mix.id, { quantity: 100, unit: 'kg', line: 1 });
const made = rel('5:x:2', 'PRODUCED', mix.id, dough.id, { quantity: 100, unit: 'kg', line: 1 });
const received = rel('5:x:3', 'RECEIVED_FROM', flour.id, mill.id, { quantity: 1000, unit: 'kg' });
const shipped = rel('5:x:4', 'SHIPPED_TO', dough.id, shop.id, { quantity: 5, unit: 'kg' });

describe('telling graph values apart', () => {
  it('knows nodes, relationships and paths by their keys', () => {
    expect(isNode(flour)).toBe(true);
    expect(isRelationship(used)).toBe(true);
    expect(isPath({ nodes: [flour, mix], relationships: [used] })).toBe(true);
    expect(isNode({ id: 'x', labels: ['Lot'] })).toBe(false);
    expect(isNode({ code: 'FLOUR-A' })).toBe(false);
    expect(isRelationship(flour)).toBe(false);
  });
});

describe('toCell', () => {
  it.each([
    [flour, { text: '(:Lot FLOUR-A)', type: 'node', kind: 'lot' }],
    [mix, { text: '(:Batch MIX-1)', type: 'node', kind: 'batch' }],
    [node('4:x:9', 'Audit', { at: 1 }), { text: '(:Audit)', type: 'node', kind: 'other' }],
    [used, { text: '[:CONSUMED_IN 100 kg]', type: 'relationship' }],
    [rel('5:x:9', 'LINKED', 'a', 'b'), { text: '[:LINKED]', type: 'relationship' }],
    [null, { text: 'null', type: 'null' }],
    ['FLOUR-A', { text: 'FLOUR-A', type: 'value' }],
    [2.5, { text: '2.5', type: 'value' }],
    [true, { text: 'true', type: 'value' }],
    [['FG-1', 2, null], { text: '["FG-1", 2, null]', type: 'value' }],
    [{ lot: 'FG-1', n: 3 }, { text: '{lot: "FG-1", n: 3}', type: 'value' }],
    [[flour, dough], { text: '[(:Lot FLOUR-A), (:Lot DOUGH-1)]', type: 'value' }],
  ])('shows %o compactly', (value, want) => {
    expect(toCell(value)).toMatchObject(want);
  });

  it('keeps every property of a node in its tooltip, sorted', () => {
    expect(toCell(flour).title).toBe('code: "FLOUR-A"\nproduct: "FLOUR"\nquantity: 1000\nunit: "kg"');
  });

  it('cuts very long text', () => {
    const c = toCell('x'.repeat(5000));
    expect(c.text).toHaveLength(CELL_CHARS);
    expect(c.text.endsWith('…')).toBe(true);
  });

  it('writes a path with each arrow the way its relationship points', () => {
    const p = { nodes: [mill, flour, mix, dough], relationships: [received, used, made] };
    expect(pathText(p)).toBe('(:Supplier SUP-MILL)<-[:RECEIVED_FROM]-(:Lot FLOUR-A)-[:CONSUMED_IN]->(:Batch MIX-1)-[:PRODUCED]->(:Lot DOUGH-1)');
    expect(toCell(p).type).toBe('path');
  });
});

describe('resultGraph and resultElements', () => {
  it('collects each node and relationship once, from columns, lists, maps and paths', () => {
    const rows = [
      [flour, used, mix],
      [flour, made, mix], // repeats of flour and mix
      [{ nodes: [mix, dough, shop], relationships: [made, shipped] }, { who: [shop] }],
      ['not a node', 42, null],
    ];
    const g = resultGraph(rows);
    expect([...g.nodes.keys()]).toEqual([flour.id, mix.id, dough.id, shop.id]);
    expect([...g.relationships.keys()]).toEqual([used.id, made.id, shipped.id]);
  });

  it('draws nodes by kind and relationships the way material moves', () => {
    const g = resultGraph([[mill, received, flour, used, mix]]);
    const d = resultElements(g);
    expect(d).toMatchObject({ nodes: 3, edges: 2, leftOut: 0, loose: 0 });
    const nodes = d.elements.filter((e) => e.group === 'nodes');
    expect(nodes.map((e) => e.classes)).toEqual(['supplier', 'lot', 'batch']);
    expect(nodes[0].data.label).toBe('Prairie Mill Co.\nSUP-MILL');
    expect(nodes[1].data.label).toBe('FLOUR-A\nFLOUR');
    const edges = d.elements.filter((e) => e.group === 'edges');
    // RECEIVED_FROM is stored lot → supplier and drawn supplier → lot, as in the explorer.
    expect(edges.map((e) => [e.data.source, e.data.target, e.classes, e.data.label])).toEqual([
      [`n:${mill.id}`, `n:${flour.id}`, 'received_from', '1,000 kg'],
      [`n:${flour.id}`, `n:${mix.id}`, 'consumed_in', '100 kg'],
    ]);
  });

  it('leaves out relationships without both ends, and nodes beyond the cap', () => {
    const g = resultGraph([[flour, used, made, dough]]); // mix is not in the answer
    expect(resultElements(g)).toMatchObject({ nodes: 2, edges: 0, loose: 2 });
    const capped = resultElements(resultGraph([[flour, mix, dough, used, made]]), 2);
    expect(capped).toMatchObject({ nodes: 2, edges: 1, leftOut: 1, loose: 1 });
  });
});

describe('the notice of a cut answer', () => {
  const rows = [[1], [2], [3]];
  it('says nothing of a whole answer', () => {
    expect(cutNotice({ rows, truncated: false })).toBe('');
  });
  it('names the row cap', () => {
    expect(cutNotice({ rows, truncated: true, cut_by: 'max_rows' })).toMatch(/^Cut at 3 rows, the server's row cap/);
  });
  it('names the size cap, not the row cap, when bytes cut it', () => {
    const notice = cutNotice({ rows, truncated: true, cut_by: 'max_bytes' });
    expect(notice).toMatch(/answer size cap/);
    expect(notice).not.toMatch(/row cap/);
  });
});
