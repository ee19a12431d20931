import { describe, expect, it } from 'vitest';
import type { Bounds, Direction, Trace } from './api';
import { bakeryTrace, recallFG1 } from './bakery.fixture';
import { load, DOWNSTREAM_NODES, TRACE_NODES, UPSTREAM_NODES, type Fetcher } from './load';

const bounds = (b: Bounds) => [b.depth === undefined ? '' : `depth=${b.depth}`, b.nodes === undefined ? '' : `nodes=${b.nodes}`].filter(Boolean).join(' ');

function fakeAPI() {
  const calls: string[] = [];
  const api: Fetcher = {
    trace: async (code: string, direction: Direction, b: Bounds) => {
      calls.push(`trace ${code} ${direction} ${bounds(b)}`);
      return bakeryTrace(code, direction, b.depth);
    },
    summary: async (code: string, direction: Direction, b: Bounds) => {
      calls.push(`summary ${code} ${direction} ${bounds(b)}`.trim());
      const { nodes: _n, edges: _e, ...keys }: Trace = bakeryTrace(code, direction, b.depth);
      return keys;
    },
    recall: async (code: string, b: Bounds) => {
      calls.push(`recall ${code} ${bounds(b)}`.trim());
      return recallFG1;
    },
  };
  return { api, calls };
}

describe('load', () => {
  it('asks a trace for its keys and for a graph bounded by max_nodes', async () => {
    const { api, calls } = fakeAPI();
    const answered: unknown[] = [];
    const got = await load({ lot: 'FG-3', mode: 'backward', depth: undefined }, api, { answered: (a) => answered.push(a) });
    expect(calls).toEqual(['summary FG-3 backward', `trace FG-3 backward nodes=${TRACE_NODES}`]);
    expect(got.summary!.lots).toEqual(['CHIPS-A', 'DOUGH-1', 'FG-3', 'FG-2', 'FLOUR-A', 'SALT-A'].sort());
    expect(answered).toHaveLength(1);
    expect(got.roles).toBeUndefined();
  });

  it('keeps the depth the person set on every call', async () => {
    const { api, calls } = fakeAPI();
    await load({ lot: 'FG-3', mode: 'forward', depth: 3 }, api);
    expect(calls).toEqual(['summary FG-3 forward depth=3', `trace FG-3 forward depth=3 nodes=${TRACE_NODES}`]);
  });

  it('answers a recall first, then draws it from bounded traces, with the sibling lots and the edge from their batch', async () => {
    const { api, calls } = fakeAPI();
    let first = '';
    const got = await load({ lot: 'FG-1', mode: 'recall', depth: undefined }, api, { answered: (a) => (first ||= a.recall!.lot) });
    expect(first).toBe('FG-1');
    expect(calls).toEqual([
      'recall FG-1',
      `trace FG-1 backward nodes=${UPSTREAM_NODES}`,
      `trace FG-1 forward nodes=${DOWNSTREAM_NODES}`,
      `trace FG-2 forward nodes=${DOWNSTREAM_NODES}`,
      `trace FG-3 forward nodes=${DOWNSTREAM_NODES}`,
      'trace FG-2 backward depth=1 nodes=10',
    ]);
    // No call for a graph without a node bound.
    expect(calls.filter((c) => c.startsWith('trace') && !c.includes('nodes='))).toEqual([]);
    for (const id of ['lot:FG-2', 'lot:FG-3', 'batch:B-2', 'customer:CUST-B', 'customer:CUST-C']) expect(got.g.nodes.has(id)).toBe(true);
    const produced = [...got.g.edges.values()].filter((e) => e.type === 'PRODUCED' && e.from === 'batch:B-1').map((e) => e.to);
    expect(produced.sort()).toEqual(['lot:FG-1', 'lot:FG-2']);
    expect(got.g.truncated).toBe(false); // the one-level trace is cut short on purpose
    expect(got.notes).toEqual([]);
    // Every recall node is drawn, and nothing unrelated.
    expect([...got.g.nodes.keys()].filter((id) => !got.roles!.has(id))).toEqual([]);
  });
});
