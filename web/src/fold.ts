// The backbone of a big recall: the nodes near the complained-about lot, the far end of each
// side, and between them ranges of levels folded into runs ("STARTER-…: 2,990 generations").
// A run's counts come from the recall's own answer, so they stay exact however little of the
// graph was loaded or drawn. Pure functions, unit tested.

import type { Kind } from './api';
import { compareNodes, flow, formatNumber, KINDS, plural, signed, type Genealogy, type Role } from './graph';

/** Side is where a level lies from the complained-about lot: upstream (ingredients) or down. */
export type Side = 'up' | 'down';
export const SIDES: Side[] = ['up', 'down'];

/** HEAD_LEVELS is how many levels each side shows next to the lot before folding: upstream
 * the source batch and its ingredient lots; downstream what it went into, down to customers. */
export const HEAD_LEVELS: Record<'up' | 'down', number> = { up: 2, down: 3 };
/** TAIL_LEVELS is how many levels each side shows at its far end (where a chain starts). */
export const TAIL_LEVELS = 1;
/** LEVEL_WIDTH is how many nodes one level shows before the rest is folded. */
export const LEVEL_WIDTH = 10;
/** DEPTH_STEP is how many levels one click on a deep run opens (for a starter, 3 generations). */
export const DEPTH_STEP = 6;
/** WIDTH_STEP is how many more nodes a level shows after one click on a wide run. */
export const WIDTH_STEP = 20;

/** Openings is what the person opened: per side, the levels shown and the nodes per level. */
export interface Openings {
  depth: Record<Side, number>;
  width: Record<Side, number>;
}

export const closedOpenings = (): Openings => ({ depth: { ...HEAD_LEVELS }, width: { up: LEVEL_WIDTH, down: LEVEL_WIDTH } });

/**
 * Run is one folded range of levels. A deep run holds every node of its levels (opening it
 * shows deeper levels); a wide run holds the rest of levels drawn only in part (opening it
 * shows more of each). unloaded are the nodes of the recall's answer on this side that the
 * bounded traces did not load: they lie beyond everything loaded, so the deep run holds them.
 */
export interface Run {
  id: string;
  side: Side;
  deep: boolean;
  from: number; // signed level nearest the lot
  to: number; // signed level farthest from it
  hidden: string[]; // node ids loaded but folded
  unloaded: string[]; // node ids ("lot:X") known from the recall's answer only
  role?: Role;
}

export interface Backbone {
  visible: Set<string>;
  runs: Run[];
}

/** Expected lists, per side, the node ids the recall's answer puts there. */
export type Expected = Record<Side, string[]>;

/** expectedOf reads a recall's answer as node ids per side. */
export function expectedOf(r: { lot: string; source_batches: string[]; ingredients: { lots: string[]; batches: string[]; suppliers: string[] }; affected: { lots: string[]; batches: string[]; customers: string[] } }): Expected {
  const root = `lot:${r.lot}`;
  const up = [
    ...r.source_batches.map((b) => `batch:${b}`),
    ...r.ingredients.lots.map((l) => `lot:${l}`),
    ...r.ingredients.batches.map((b) => `batch:${b}`),
    ...r.ingredients.suppliers.map((s) => `supplier:${s}`),
  ];
  const upSet = new Set(up);
  const down = [...r.affected.lots.map((l) => `lot:${l}`), ...r.affected.batches.map((b) => `batch:${b}`), ...r.affected.customers.map((c) => `customer:${c}`)].filter(
    (id) => !upSet.has(id),
  );
  return { up: [...upSet].filter((id) => id !== root), down: [...new Set(down)].filter((id) => id !== root) };
}

/**
 * planBackbone chooses what a recall draws. Each side shows its first `depth` levels and, when
 * the side is deeper than that by more than the tail, its last TAIL_LEVELS levels; the levels
 * between are one deep run, less the suppliers of drawn lots, which are drawn. Each shown
 * level keeps at most `width` nodes, those linked to the nodes kept next to it first, one per
 * neighbour in turn; the rest of consecutive such levels is one wide run. Level 0 (the lot and its sibling lots) counts with the downstream side.
 */
export function planBackbone(g: Genealogy, level: Map<string, number>, open: Openings = closedOpenings(), expected?: Expected): Backbone {
  const adj = adjacency(g);
  const visible = new Set<string>([g.root]);
  const runs: Run[] = [];
  for (const side of SIDES) {
    const sign = side === 'up' ? -1 : 1;
    const byLevel = new Map<number, string[]>(); // absolute level → node ids
    for (const id of g.nodes.keys()) {
      const l = level.get(id) ?? 0;
      if (id === g.root || (side === 'up' ? l >= 0 : l < 0)) continue;
      const a = Math.abs(l);
      let list = byLevel.get(a);
      if (!list) byLevel.set(a, (list = []));
      list.push(id);
    }
    const deepest = Math.max(0, ...byLevel.keys());
    const headTo = deepest - open.depth[side] <= TAIL_LEVELS + 1 ? deepest : open.depth[side];
    const tailFrom = headTo < deepest ? deepest - TAIL_LEVELS + 1 : deepest + 1;
    const width = open.width[side];
    const partial = new Map<number, string[]>(); // absolute level → the nodes left out of it

    const keep = (a: number, anchors: Set<string>) => {
      const ids = byLevel.get(a);
      if (!ids) return new Set<string>();
      const chosen = pick(g, ids, anchors, adj, a === 0 ? width - 1 : width);
      for (const id of chosen) visible.add(id);
      if (chosen.size < ids.length) partial.set(a, ids.filter((id) => !chosen.has(id)));
      return chosen;
    };
    // The head, from the lot outwards: each level prefers the neighbours of the one before.
    let anchors = new Set([g.root]);
    for (let a = side === 'down' ? 0 : 1; a <= headTo; a++) {
      const chosen = keep(a, anchors);
      anchors = a === 0 ? new Set([g.root, ...chosen]) : chosen;
    }
    // The tail, from the far end inwards.
    anchors = new Set();
    for (let a = deepest; a >= tailFrom; a--) anchors = keep(a, anchors);
    // The supplier of a drawn lot is drawn: suppliers are what a recall acts on, a lot has one.
    const parties = new Set<string>();
    for (const id of visible) {
      if (!id.startsWith('lot:')) continue;
      for (const n of adj.get(id) ?? []) if (n.startsWith('supplier:') && !visible.has(n)) parties.add(n);
    }
    for (const id of parties) visible.add(id);
    for (const [a, ids] of partial) {
      const rest = ids.filter((id) => !parties.has(id));
      if (rest.length) partial.set(a, rest);
      else partial.delete(a);
    }

    // Wide runs: consecutive levels shown in part, within the head or within the tail.
    const levelsCut = [...partial.keys()].sort((x, y) => x - y);
    for (let i = 0; i < levelsCut.length; ) {
      let j = i;
      while (j + 1 < levelsCut.length && levelsCut[j + 1] === levelsCut[j] + 1 && (levelsCut[j + 1] <= headTo) === (levelsCut[j] <= headTo)) j++;
      const from = levelsCut[i];
      runs.push({
        id: `run:${side}:wide:${from}`, side, deep: false, from: sign * from, to: sign * levelsCut[j],
        hidden: levelsCut.slice(i, j + 1).flatMap((a) => partial.get(a)!), unloaded: [],
      });
      i = j + 1;
    }
    // The deep run: every level between the head and the tail, and what was not loaded.
    const hidden: string[] = [];
    for (let a = headTo + 1; a < tailFrom; a++) hidden.push(...(byLevel.get(a) ?? []).filter((id) => !parties.has(id)));
    const unloaded = (expected?.[side] ?? []).filter((id) => !g.nodes.has(id));
    if (hidden.length || unloaded.length) {
      const far = hidden.length ? tailFrom - 1 : deepest + 1;
      runs.push({ id: `run:${side}:deep`, side, deep: true, from: sign * (headTo + 1), to: sign * far, hidden, unloaded });
    }
  }
  for (const r of runs) r.role = r.side === 'up' ? 'ingredient' : 'affected';
  return { visible, runs };
}

/** adjacency lists each node's neighbours, whichever way the edge points. */
function adjacency(g: Genealogy): Map<string, string[]> {
  const adj = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    let list = adj.get(a);
    if (!list) adj.set(a, (list = []));
    list.push(b);
  };
  for (const e of g.edges.values()) {
    const [s, t] = flow(e);
    link(s, t);
    link(t, s);
  }
  return adj;
}

/**
 * pick keeps at most cap of ids: first those linked to an anchor, taking one per anchor in
 * turn (so that ten batches each show one of their lots rather than five show two), then
 * the others; each group those with the most links first (a batch whose lots were loaded
 * before one whose were not), then in kind and key order.
 */
export function pick(g: Genealogy, ids: string[], anchors: Set<string>, adj: Map<string, string[]>, cap: number): Set<string> {
  const degree = (id: string) => adj.get(id)?.length ?? 0;
  const sorted = [...ids].sort((a, b) => degree(b) - degree(a) || compareNodes(g, a, b));
  const byAnchor = new Map<string, string[]>();
  const loose: string[] = [];
  for (const id of sorted) {
    const anchor = (adj.get(id) ?? []).filter((n) => anchors.has(n)).sort()[0];
    if (anchor === undefined) {
      loose.push(id);
      continue;
    }
    let list = byAnchor.get(anchor);
    if (!list) byAnchor.set(anchor, (list = []));
    list.push(id);
  }
  const chosen = new Set<string>();
  const queues = [...byAnchor.keys()].sort().map((a) => byAnchor.get(a)!);
  for (let round = 0; chosen.size < cap && queues.some((q) => q.length > round); round++) {
    for (const q of queues) if (round < q.length && chosen.size < cap) chosen.add(q[round]);
  }
  for (const id of loose) if (chosen.size < cap) chosen.add(id);
  return chosen;
}

/** Family is a group of a run's lots whose codes differ only in their numbers. */
export interface Family {
  pattern: string; // the code with every number as #: "STARTER-#"
  prefix: string; // what the codes share, up to a separator: "STARTER-"
  count: number;
  chain: boolean; // at most one of them a level, a lineage: each is a generation
}

/** codePattern is a code with each run of digits as "#". */
export const codePattern = (code: string): string => code.replace(/\d+/g, '#');

/** families groups the lots of a run by code pattern, largest first. */
export function families(g: Genealogy, level: Map<string, number>, run: Run): Family[] {
  const groups = new Map<string, { codes: string[]; levels: number[] }>();
  for (const id of [...run.hidden, ...run.unloaded]) {
    if (!id.startsWith('lot:')) continue;
    const code = id.slice(4);
    const p = codePattern(code);
    let grp = groups.get(p);
    if (!grp) groups.set(p, (grp = { codes: [], levels: [] }));
    grp.codes.push(code);
    if (g.nodes.has(id)) grp.levels.push(level.get(id) ?? 0);
  }
  return [...groups]
    .map(([pattern, { codes, levels }]) => ({
      pattern,
      prefix: commonPrefix(codes),
      count: codes.length,
      chain: codes.length >= 3 && levels.length >= 2 && new Set(levels).size === levels.length,
    }))
    .sort((a, b) => b.count - a.count || (a.pattern < b.pattern ? -1 : 1));
}

/** commonPrefix is the start the codes share, cut after its last separator ("STARTER-"). */
export function commonPrefix(codes: string[]): string {
  if (codes.length === 1) return codes[0];
  let p = codes[0] ?? '';
  for (const c of codes) while (!c.startsWith(p)) p = p.slice(0, -1);
  const cut = Math.max(...[...'-_./: '].map((s) => p.lastIndexOf(s)));
  return cut >= 0 ? p.slice(0, cut + 1) : p;
}

/** runCounts counts a run's nodes by kind, the loaded and the unloaded alike. */
export function runCounts(run: Run): Record<Kind, number> {
  const c: Record<Kind, number> = { supplier: 0, lot: 0, batch: 0, customer: 0 };
  for (const id of [...run.hidden, ...run.unloaded]) c[id.slice(0, id.indexOf(':')) as Kind]++;
  return c;
}

/** runSize is how many nodes a run folds away. */
export const runSize = (run: Run): number => run.hidden.length + run.unloaded.length;

/** runHeadline is what a run is, in one line: "STARTER-…: 2,990 generations". */
export function runHeadline(g: Genealogy, level: Map<string, number>, run: Run): string {
  const top = families(g, level, run)[0];
  const c = runCounts(run);
  if (run.deep && top?.chain) return `${top.prefix}…: ${plural(top.count, 'generation')}`;
  return `+${kindCounts(c)}`;
}

/** kindCounts says "2,990 lots, 2,990 batches, 2 suppliers", leaving out the kinds at zero. */
export function kindCounts(c: Record<Kind, number>): string {
  return KINDS.filter((k) => c[k] > 0)
    .map((k) => plural(c[k], k))
    .join(', ');
}

/** levelRange says "levels -5 to -2,982" or "level +2". */
export function levelRange(run: Run): string {
  const [a, b] = [run.from, run.to];
  return a === b ? `level ${signedNumber(a)}` : `levels ${signedNumber(a)} to ${signedNumber(b)}`;
}

const signedNumber = (n: number): string => (n > 0 ? `+${formatNumber(n)}` : signed(n).replace(/\d+/, (d) => formatNumber(Number(d))));

/** runOpens says what one click on the run shows. */
export function runOpens(run: Run): string {
  if (!run.deep) return `show ${formatNumber(WIDTH_STEP)} more a level`;
  if (run.hidden.length === 0) return 'load more';
  return `open ${DEPTH_STEP} more levels`;
}

/** runLabel is the text of a run's node on the graph. */
export function runLabel(g: Genealogy, level: Map<string, number>, run: Run): string {
  const c = runCounts(run);
  const head = runHeadline(g, level, run);
  const counts = head.startsWith('+') ? '' : `${kindCounts(c)}\n`;
  const where = run.hidden.length ? levelRange(run) : 'not loaded yet';
  return `${head}\n${counts}${where}: ${runOpens(run)}`;
}
