import { describe, expect, it } from 'vitest';
import type { Direction } from './api';
import { bakeryTrace, recallFG1 } from './bakery.fixture';
import { load, type Fetcher } from './load';

function fakeAPI() {
  const calls: string[] = [];
  const api: Fetcher = {
    trace: async (code: string, direction: Direction, depth: number) => {
      calls.push(`trace ${code} ${direction} ${depth}`);
      return bakeryTrace(code, direction, depth);
    },
    recall: async (code: string) => {
      calls.push(`recall ${code}`);
      return recallFG1;
    },
  };
  return { api, calls };
}

describe('load', () => {
  it('loads one trace for a direction', async () => {
    const { api, calls } = fakeAPI();
    const got = await load({ lot: 'FG-3', mode: 'backward', depth: 25 }, api);
    expect(calls).toEqual(['trace FG-3 backward 25']);
    expect(got.g.nodes.size).toBe(got.trace!.nodes.length);
    expect(got.roles).toBeUndefined();
  });

  it('draws a recall with the sibling lots, what they went into and the edge from their batch', async () => {
    const { api, calls } = fakeAPI();
    const got = await load({ lot: 'FG-1', mode: 'recall', depth: 25 }, api);
    expect(calls).toEqual(['recall FG-1', 'trace FG-1 both 25', 'trace FG-2 forward 25', 'trace FG-3 forward 25', 'trace FG-2 backward 1']);
    for (const id of ['lot:FG-2', 'lot:FG-3', 'batch:B-2', 'customer:CUST-B', 'customer:CUST-C']) expect(got.g.nodes.has(id)).toBe(true);
    const produced = [...got.g.edges.values()].filter((e) => e.type === 'PRODUCED' && e.from === 'batch:B-1').map((e) => e.to);
    expect(produced.sort()).toEqual(['lot:FG-1', 'lot:FG-2']);
    expect(got.g.truncated).toBe(false); // the one-level trace is cut short on purpose
    expect(got.notes).toEqual([]);
    // Every recall node is drawn, and nothing unrelated.
    expect([...got.g.nodes.keys()].filter((id) => !got.roles!.has(id))).toEqual([]);
  });
});
