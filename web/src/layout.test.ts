import { describe, expect, it } from 'vitest';
import { bakeryTrace } from './bakery.fixture';
import { addTrace, flow, newGenealogy } from './graph';
import { layered, ranks, type LayoutEdge, type LayoutNode } from './layout';

function bakery() {
  const g = addTrace(newGenealogy('FG-1'), bakeryTrace('FG-1', 'both'));
  const nodes: LayoutNode[] = [...g.nodes.keys()].map((id) => ({ id, width: 100, height: 40 }));
  const edges: LayoutEdge[] = [...g.edges.values()].map((e) => {
    const [source, target] = flow(e);
    return { source, target };
  });
  return { nodes, edges };
}

describe('layered layout', () => {
  it('ranks suppliers → ingredient lots → batches → lots → customers', () => {
    const { nodes, edges } = bakery();
    const r = ranks(nodes, edges);
    expect(['supplier:SUP-MILL', 'lot:FLOUR-A', 'batch:MIX-1', 'lot:DOUGH-1', 'batch:B-1', 'lot:FG-1', 'customer:CUST-A'].map((id) => r.get(id))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // A supplier whose lot is used late stands next to it, not in the first column.
    expect(r.get('lot:CHIPS-A')).toBe(3);
    expect(r.get('supplier:SUP-CHOC')).toBe(2);
  });

  it('places every edge left to right and keeps nodes of a rank apart', () => {
    const { nodes, edges } = bakery();
    const at = layered(nodes, edges, { nodeSep: 10 });
    expect(at.size).toBe(nodes.length);
    for (const e of edges) expect(at.get(e.source)!.x).toBeLessThan(at.get(e.target)!.x);
    const columns = new Map<number, number[]>();
    for (const p of at.values()) columns.set(p.x, [...(columns.get(p.x) ?? []), p.y]);
    for (const col of columns.values()) {
      const ys = col.sort((a, b) => a - b);
      for (let i = 1; i < ys.length; i++) expect(ys[i] - ys[i - 1]).toBeGreaterThanOrEqual(50);
    }
  });

  it('wraps a rank too tall for the screen into sub-columns', () => {
    const nodes: LayoutNode[] = [{ id: 'F', width: 100, height: 40 }];
    const edges: LayoutEdge[] = [];
    for (let i = 0; i < 300; i++) {
      nodes.push({ id: `B${i}`, width: 100, height: 40 });
      edges.push({ source: 'F', target: `B${i}` });
    }
    const at = layered(nodes, edges, { aspect: 1.5 });
    const xs = [...at.values()].map((p) => p.x);
    const ys = [...at.values()].map((p) => p.y);
    const ratio = (Math.max(...xs) - Math.min(...xs) + 100) / (Math.max(...ys) - Math.min(...ys) + 40);
    expect(ratio).toBeGreaterThan(1);
    expect(ratio).toBeLessThan(2.25);
    for (let i = 0; i < 300; i++) expect(at.get(`B${i}`)!.x).toBeGreaterThan(at.get('F')!.x);
  });

  // How long it takes is for a benchmark, not a test: timed assertions fail on a busy machine.
  it('lays out thousands of nodes, every edge left to right', () => {
    const nodes: LayoutNode[] = [{ id: 'F', width: 100, height: 40 }];
    const edges: LayoutEdge[] = [];
    for (let i = 0; i < 2000; i++) {
      nodes.push({ id: `B${i}`, width: 100, height: 40 }, { id: `L${i}`, width: 100, height: 40 });
      edges.push({ source: 'F', target: `B${i}` }, { source: `B${i}`, target: `L${i}` }, { source: `L${i}`, target: `C${i % 7}` });
    }
    for (let c = 0; c < 7; c++) nodes.push({ id: `C${c}`, width: 100, height: 40 });
    const at = layered(nodes, edges);
    expect(at.size).toBe(4008);
    for (const e of edges) expect(at.get(e.source)!.x).toBeLessThan(at.get(e.target)!.x);
  });
});
