import { describe, expect, it } from 'vitest';
import type { Kind, TraceEdge, TraceNode } from './api';
import {
  closedOpenings, codePattern, commonPrefix, DEPTH_STEP, expectedOf, families, HEAD_LEVELS, LEVEL_WIDTH, planBackbone, runCounts, runHeadline, runLabel,
  runSize, TAIL_LEVELS, WIDTH_STEP, type Backbone, type Openings,
} from './fold';
import { levels, newGenealogy, toElements, type Genealogy } from './graph';

const node = (kind: Kind, key: string): TraceNode => ({ id: `${kind}:${key}`, kind, key, properties: {} });
const edge = (type: string, from: string, to: string): TraceEdge => ({ type, from, to, properties: { quantity: 1, unit: 'kg' } });
const pad = (n: number) => String(n).padStart(4, '0');

/** genealogy builds a Genealogy rooted at a lot from nodes and edges. */
function genealogy(root: string, nodes: TraceNode[], edges: TraceEdge[]): Genealogy {
  const g = newGenealogy(root);
  for (const n of nodes) g.nodes.set(n.id, n);
  edges.forEach((e, i) => g.edges.set(String(i), e));
  return g;
}

/**
 * starter is a sourdough starter fed n times, as the e2e test records it: STARTER-0000 is
 * received from the mill, feeding k consumes STARTER-(k-1) and a flour lot (a new one every
 * 50 feedings, from the mill) and makes STARTER-k. The backward trace of STARTER-n.
 */
function starter(n: number): Genealogy {
  const nodes = [node('supplier', 'MILL'), node('lot', 'STARTER-0000')];
  const edges = [edge('RECEIVED_FROM', 'lot:STARTER-0000', 'supplier:MILL')];
  for (let k = 1; k <= n; k++) {
    const flour = `FLOUR-${pad(Math.floor(k / 50))}`;
    if (k === 1 || k % 50 === 0) {
      nodes.push(node('lot', flour));
      edges.push(edge('RECEIVED_FROM', `lot:${flour}`, 'supplier:MILL'));
    }
    nodes.push(node('batch', `FEED-${pad(k)}`), node('lot', `STARTER-${pad(k)}`));
    edges.push(
      edge('CONSUMED_IN', `lot:STARTER-${pad(k - 1)}`, `batch:FEED-${pad(k)}`),
      edge('CONSUMED_IN', `lot:${flour}`, `batch:FEED-${pad(k)}`),
      edge('PRODUCED', `batch:FEED-${pad(k)}`, `lot:STARTER-${pad(k)}`),
    );
  }
  return genealogy(`STARTER-${pad(n)}`, nodes, edges);
}

/** hub is one flour lot used in n batches, each making two lots shipped to one of four customers. */
function hub(n: number): Genealogy {
  const nodes = [node('lot', 'FLOUR'), node('supplier', 'MILL'), ...[0, 1, 2, 3].map((c) => node('customer', `C-${c}`))];
  const edges = [edge('RECEIVED_FROM', 'lot:FLOUR', 'supplier:MILL')];
  for (let i = 0; i < n; i++) {
    nodes.push(node('batch', `B-${pad(i)}`), node('lot', `L-${pad(i)}-A`), node('lot', `L-${pad(i)}-B`));
    edges.push(edge('CONSUMED_IN', 'lot:FLOUR', `batch:B-${pad(i)}`));
    for (const s of ['A', 'B']) {
      edges.push(edge('PRODUCED', `batch:B-${pad(i)}`, `lot:L-${pad(i)}-${s}`), edge('SHIPPED_TO', `lot:L-${pad(i)}-${s}`, `customer:C-${i % 4}`));
    }
  }
  return genealogy('FLOUR', nodes, edges);
}

/** partitioned checks that every node but the root is either drawn or in exactly one run. */
function expectPartition(g: Genealogy, b: Backbone): void {
  const seen = new Map<string, number>();
  for (const id of b.visible) seen.set(id, (seen.get(id) ?? 0) + 1);
  for (const r of b.runs) for (const id of r.hidden) seen.set(id, (seen.get(id) ?? 0) + 1);
  expect([...g.nodes.keys()].filter((id) => seen.get(id) !== 1)).toEqual([]);
  expect(seen.size).toBe(g.nodes.size);
}

const drawnLevels = (b: Backbone, level: Map<string, number>) => new Set([...b.visible].map((id) => level.get(id)));

describe('planBackbone on a deep starter chain', () => {
  const g = starter(450);
  const level = levels(g);

  it('folds the chain between the head and the far end into one run, counted in generations', () => {
    const b = planBackbone(g, level);
    expectPartition(g, b);
    expect(Math.min(...level.values())).toBe(-900); // 450 feedings are 900 levels (the mill is near)
    const deep = b.runs.filter((r) => r.deep);
    expect(deep).toHaveLength(1);
    const run = deep[0];
    expect(run.side).toBe('up');
    expect(run.from).toBe(-(HEAD_LEVELS.up + 1));
    expect(run.to).toBe(-(900 - TAIL_LEVELS));
    // The generations are the starter lots not drawn: all but those in the head and the tail.
    const drawnStarters = [...b.visible].filter((id) => id.startsWith('lot:STARTER-')).length;
    const folded = run.hidden.filter((id) => id.startsWith('lot:STARTER-')).length;
    expect(drawnStarters + folded).toBe(451);
    expect(runHeadline(g, level, run)).toBe(`STARTER-…: ${folded.toLocaleString('en-US')} generations`);
    expect(folded).toBeGreaterThan(440);
    expect(runLabel(g, level, run)).toContain('levels -3 to -899');
  });

  it('never draws the chain as hundreds of columns', () => {
    const b = planBackbone(g, level);
    // The lot, the head, the tail, and the mill that supplied the drawn flour.
    expect(drawnLevels(b, level).size).toBeLessThanOrEqual(1 + HEAD_LEVELS.up + TAIL_LEVELS + 1);
    expect(b.visible.has('supplier:MILL')).toBe(true);
    expect(b.visible.size).toBeLessThan(30);
  });

  it('opens DEPTH_STEP more levels a click, and the counts still add up', () => {
    const before = planBackbone(g, level);
    const open: Openings = closedOpenings();
    open.depth.up += DEPTH_STEP;
    const after = planBackbone(g, level, open);
    expectPartition(g, after);
    const run = (bb: Backbone) => bb.runs.find((r) => r.deep)!;
    expect(run(after).from).toBe(run(before).from - DEPTH_STEP);
    const starters = (bb: Backbone) => families(g, level, run(bb))[0];
    expect(starters(before).count - starters(after).count).toBe(DEPTH_STEP / 2); // a generation is two levels
    expect(starters(after).chain).toBe(true);
  });

  it('opens the whole chain when little is left between the head and the tail', () => {
    const b = planBackbone(g, level, { ...closedOpenings(), depth: { up: 900 - TAIL_LEVELS - 1, down: HEAD_LEVELS.down } });
    expect(b.runs.filter((r) => r.deep)).toEqual([]);
    expectPartition(g, b);
  });

  it('counts what the bounded trace did not load from the recall answer, exactly', () => {
    // A trace cut at 400 nodes: the nearest ones, as a breadth-first walk keeps them.
    const cut = genealogy(g.root.slice(4), [], []);
    const near = [...g.nodes.keys()].sort((a, b) => level.get(b)! - level.get(a)! || (a < b ? -1 : 1)).slice(0, 400);
    for (const id of near) cut.nodes.set(id, g.nodes.get(id)!);
    [...g.edges.values()].filter((e) => cut.nodes.has(e.from) && cut.nodes.has(e.to)).forEach((e, i) => cut.edges.set(String(i), e));
    const expected = { up: [...g.nodes.keys()].filter((id) => id !== g.root), down: [] };
    const b = planBackbone(cut, levels(cut), closedOpenings(), expected);
    const run = b.runs.find((r) => r.deep)!;
    expect(run.unloaded.length).toBe(g.nodes.size - 400);
    // Drawn + folded + not loaded is every node of the recall.
    expect(b.visible.size - 1 + b.runs.reduce((n, r) => n + runSize(r), 0)).toBe(g.nodes.size - 1);
    const fam = families(cut, levels(cut), run)[0];
    expect(fam.pattern).toBe('STARTER-#');
    expect(fam.chain).toBe(true);
    expect(fam.count).toBe(451 - [...b.visible].filter((id) => id.startsWith('lot:STARTER-')).length);
  });
});

describe('planBackbone on a hub lot', () => {
  const g = hub(300);
  const level = levels(g);

  it('shows a few batches, each with one of its lots, and folds the rest of the levels by kind', () => {
    const b = planBackbone(g, level);
    expectPartition(g, b);
    const wide = b.runs.filter((r) => !r.deep);
    expect(wide).toHaveLength(1);
    expect([wide[0].from, wide[0].to]).toEqual([1, 2]);
    const c = runCounts(wide[0]);
    expect(c).toEqual({ supplier: 0, lot: 600 - LEVEL_WIDTH, batch: 300 - LEVEL_WIDTH, customer: 0 });
    expect(runHeadline(g, level, wide[0])).toBe('+590 lots, 290 batches');
    // Every drawn batch has one of its lots drawn.
    const batches = [...b.visible].filter((id) => id.startsWith('batch:'));
    for (const id of batches) expect([...b.visible].some((l) => l.startsWith(`lot:L-${id.slice(8)}-`))).toBe(true);
    // Every customer stays in sight: there are four.
    expect([...b.visible].filter((id) => id.startsWith('customer:'))).toHaveLength(4);
  });

  it('shows WIDTH_STEP more nodes a level a click', () => {
    const open = closedOpenings();
    open.width.down += WIDTH_STEP;
    const b = planBackbone(g, level, open);
    expectPartition(g, b);
    expect([...b.visible].filter((id) => id.startsWith('batch:'))).toHaveLength(LEVEL_WIDTH + WIDTH_STEP);
  });

  it('draws each hidden node edge once, to its run', () => {
    const b = planBackbone(g, level);
    const els = toElements(g, level, { visible: b.visible, folded: [], groups: b.runs.map((r) => ({ id: r.id, hidden: r.hidden, level: r.from, label: 'x', classes: 'run' })) });
    const ids = new Set(els.filter((e) => e.group === 'nodes').map((e) => e.data.id));
    const edges = els.filter((e) => e.group === 'edges');
    for (const e of edges) expect(ids.has(e.data.source!) && ids.has(e.data.target!)).toBe(true);
    expect(new Set(edges.map((e) => e.data.id)).size).toBe(edges.length);
    expect(edges.some((e) => e.data.source === 'lot:FLOUR' && e.data.target === b.runs[0].id)).toBe(true);
  });
});

describe('expectedOf', () => {
  it('puts the source batches and ingredients upstream and the affected downstream, without the lot', () => {
    const e = expectedOf({
      lot: 'FG-1', source_batches: ['B-1'],
      ingredients: { lots: ['FLOUR'], batches: ['MIX'], suppliers: ['MILL'] },
      affected: { lots: ['FG-1', 'FG-2'], batches: ['B-2'], customers: ['C'] },
    });
    expect(e.up.sort()).toEqual(['batch:B-1', 'batch:MIX', 'lot:FLOUR', 'supplier:MILL']);
    expect(e.down.sort()).toEqual(['batch:B-2', 'customer:C', 'lot:FG-2']);
  });
});

describe('code families', () => {
  it.each([
    ['STARTER-0001', 'STARTER-#'],
    ['T1a2b-L-2026-10-04-01', 'T#a#b-L-#-#-#-#'],
    ['urn:epc:class:lgtin:4012345.012345.998877', 'urn:epc:class:lgtin:#.#.#'],
  ])('%s has the pattern %s', (code, want) => expect(codePattern(code)).toBe(want));

  it('names a family by the codes\' common start, cut after a separator', () => {
    expect(commonPrefix(['STARTER-0001', 'STARTER-0447'])).toBe('STARTER-');
    expect(commonPrefix(['STARTER-0401', 'STARTER-0447'])).toBe('STARTER-');
    expect(commonPrefix(['AB12', 'AB13'])).toBe('AB1');
    expect(commonPrefix(['ONE'])).toBe('ONE');
  });
});
