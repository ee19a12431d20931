// A fast layered left-to-right layout for large genealogies. dagre draws small ones best, but
// its crossing reduction grows too fast: a 500-node trace takes it one to two seconds. This
// one ranks by longest path, orders each rank by a few barycenter sweeps and places nodes on a
// grid, in linear time per sweep: milliseconds for thousands of nodes.

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}

export interface LayoutEdge {
  source: string;
  target: string;
}

export interface Position {
  x: number;
  y: number;
}

export interface LayeredOptions {
  rankSep: number; // horizontal gap between ranks
  nodeSep: number; // vertical gap between nodes of a rank
  sweeps: number; // barycenter passes, each down then up
  aspect: number; // width / height the drawing should come close to (the screen's)
}

const DEFAULTS: LayeredOptions = { rankSep: 60, nodeSep: 14, sweeps: 4, aspect: 1.3 };

/** ranks puts each node one rank right of its furthest predecessor, then moves sources right,
 * next to their first successor, so a supplier stands beside the lot it delivered. */
export function ranks(nodes: LayoutNode[], edges: LayoutEdge[]): Map<string, number> {
  const succ = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  const indeg = new Map<string, number>(nodes.map((n) => [n.id, 0]));
  for (const e of edges) {
    if (!succ.has(e.source) || !succ.has(e.target) || e.source === e.target) continue;
    succ.get(e.source)!.push(e.target);
    indeg.set(e.target, indeg.get(e.target)! + 1);
  }
  const rank = new Map<string, number>();
  const order: string[] = [];
  const queue = nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  for (const id of queue) rank.set(id, 0);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    order.push(id);
    for (const t of succ.get(id)!) {
      rank.set(t, Math.max(rank.get(t) ?? 0, rank.get(id)! + 1));
      indeg.set(t, indeg.get(t)! - 1);
      if (indeg.get(t) === 0) queue.push(t);
    }
  }
  for (const n of nodes) if (!rank.has(n.id)) rank.set(n.id, 0); // only in a cycle, which a genealogy never has
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i];
    const next = succ.get(id)!;
    if (next.length === 0) continue;
    const tight = Math.min(...next.map((t) => rank.get(t)!)) - 1;
    if (tight > rank.get(id)!) rank.set(id, tight);
  }
  return rank;
}

/** layered returns a position for every node: ranks left to right, ordered top to bottom. */
export function layered(nodes: LayoutNode[], edges: LayoutEdge[], options: Partial<LayeredOptions> = {}): Map<string, Position> {
  const o = { ...DEFAULTS, ...options };
  const rank = ranks(nodes, edges);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const neighbours = new Map<string, { up: string[]; down: string[] }>(nodes.map((n) => [n.id, { up: [], down: [] }]));
  for (const e of edges) {
    if (!byId.has(e.source) || !byId.has(e.target)) continue;
    neighbours.get(e.source)!.down.push(e.target);
    neighbours.get(e.target)!.up.push(e.source);
  }

  // Initial order: depth first from the sources, so that families start out together.
  const columns: string[][] = [];
  const seen = new Set<string>();
  const visit = (start: string) => {
    const stack = [start];
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const r = rank.get(id)!;
      (columns[r] ??= []).push(id);
      const n = neighbours.get(id)!;
      for (const next of [...n.up, ...n.down].reverse()) if (!seen.has(next)) stack.push(next);
    }
  };
  for (const n of nodes) if (neighbours.get(n.id)!.up.length === 0) visit(n.id);
  for (const n of nodes) visit(n.id);
  for (let r = 0; r < columns.length; r++) columns[r] ??= [];

  // Barycenter sweeps: each node moves to the mean place of its neighbours in the other ranks.
  const index = new Map<string, number>();
  const reindex = (col: string[]) => col.forEach((id, i) => index.set(id, i / Math.max(1, col.length - 1)));
  columns.forEach(reindex);
  const sortBy = (col: string[], side: 'up' | 'down') => {
    const key = new Map<string, number>();
    for (const id of col) {
      const ns = neighbours.get(id)![side];
      key.set(id, ns.length ? ns.reduce((s, x) => s + index.get(x)!, 0) / ns.length : index.get(id)!);
    }
    col.sort((a, b) => key.get(a)! - key.get(b)!);
    reindex(col);
  };
  for (let s = 0; s < o.sweeps; s++) {
    for (let r = 1; r < columns.length; r++) sortBy(columns[r], 'up');
    for (let r = columns.length - 2; r >= 0; r--) sortBy(columns[r], 'down');
  }

  // Places: each rank a block of sub-columns, all at most `rows` high, chosen so that the
  // drawing's shape comes close to the screen's: one flour lot used in 500 batches is then a
  // wide block, not a column too tall to see.
  const blocks = columns.map((col) => ({
    col,
    width: Math.max(0, ...col.map((id) => byId.get(id)!.width)),
    pitch: Math.max(0, ...col.map((id) => byId.get(id)!.height)) + o.nodeSep,
  }));
  const rows = bestRows(blocks, o);
  const out = new Map<string, Position>();
  let x = 0;
  for (const b of blocks) {
    const n = Math.min(rows, b.col.length);
    b.col.forEach((id, i) => {
      const sub = Math.floor(i / rows);
      out.set(id, { x: x + sub * (b.width + o.nodeSep) + b.width / 2, y: ((i % rows) - (n - 1) / 2) * b.pitch });
    });
    const subs = Math.ceil(b.col.length / rows);
    x += subs * b.width + (subs - 1) * o.nodeSep + o.rankSep;
  }
  return out;
}

interface Block {
  col: string[];
  width: number;
  pitch: number;
}

/** bestRows picks how many nodes a sub-column holds, for the aspect ratio nearest the target. */
function bestRows(blocks: Block[], o: LayeredOptions): number {
  const tallest = Math.max(1, ...blocks.map((b) => b.col.length));
  let best = tallest;
  let bestScore = Infinity;
  for (let rows = tallest; rows >= 1; rows--) {
    let w = o.rankSep * Math.max(0, blocks.length - 1);
    let h = 0;
    for (const b of blocks) {
      const subs = Math.ceil(b.col.length / rows);
      w += subs * b.width + Math.max(0, subs - 1) * o.nodeSep;
      h = Math.max(h, Math.min(rows, b.col.length) * b.pitch);
    }
    const score = Math.abs(Math.log(w / Math.max(1, h) / o.aspect));
    if (score < bestScore - 1e-9) [best, bestScore] = [rows, score];
  }
  return best;
}
