// What one view needs from the API. The answer comes first and is small: a trace's keys
// (view=summary) or the recall's answer. The graph comes second, bounded by max_nodes to
// what the explorer can draw: never a whole trace of tens of thousands of nodes.

import type { Bounds, Direction, Recall, TraceGraph, TraceSummary } from './api';
import { addTrace, lotID, newGenealogy, recallRoles, type Genealogy, type Role } from './graph';
import type { Side } from './fold';
import type { State } from './url';

/** Fetcher is the part of the API client that loading uses (a fake one in the tests). */
export interface Fetcher {
  trace(code: string, direction: Direction, bounds: Bounds, signal?: AbortSignal): Promise<TraceGraph>;
  summary(code: string, direction: Direction, bounds: Bounds, signal?: AbortSignal): Promise<TraceSummary>;
  recall(code: string, bounds: Bounds, signal?: AbortSignal): Promise<Recall>;
}

export interface Loaded {
  g: Genealogy;
  summary?: TraceSummary; // a trace's exact counts
  recall?: Recall;
  roles?: Map<string, Role>;
  notes: string[]; // what the person should know about how complete the answer is
  nodes: Record<Side, number>; // the max_nodes each side of a recall's graph was loaded with
}

/** TRACE_NODES bounds the graph of a trace: more than the explorer draws unfolded (2,000). */
export const TRACE_NODES = 5000;
/** UPSTREAM_NODES bounds a recall's ingredient graph: a chain thousands of levels deep fits
 * in a few thousand nodes; beyond, its run counts what was not loaded from the answer. */
export const UPSTREAM_NODES = 2000;
/** DOWNSTREAM_NODES bounds a recall's affected graph: the backbone draws a few dozen of it. */
export const DOWNSTREAM_NODES = 500;
/** MAX_EXTRA_TRACES bounds the calls a recall makes to draw its sibling lots' families. */
export const MAX_EXTRA_TRACES = 12;
/** PARALLEL is how many of those calls run at once. */
const PARALLEL = 6;

export interface LoadOptions {
  signal?: AbortSignal;
  answered?(answer: { recall?: Recall; summary?: TraceSummary }): void; // the answer, before the graph
  nodes?: Partial<Record<Side, number>>; // larger bounds, when the person asks to load more
}

export async function load(s: State, api: Fetcher, o: LoadOptions = {}): Promise<Loaded> {
  const signal = o.signal;
  const depth = s.depth;
  const nodes = { up: o.nodes?.up ?? UPSTREAM_NODES, down: o.nodes?.down ?? DOWNSTREAM_NODES };
  if (s.mode !== 'recall') {
    const [summary, trace] = await Promise.all([
      api.summary(s.lot, s.mode, { depth }, signal).then((x) => (o.answered?.({ summary: x }), x)),
      api.trace(s.lot, s.mode, { depth, nodes: TRACE_NODES }, signal),
    ]);
    const notes = summary.truncated ? [cutNote(summary.cut_by)] : [];
    if (trace.truncated && !summary.truncated) {
      notes.push(`The graph holds the ${TRACE_NODES.toLocaleString('en-US')} lots and batches nearest ${s.lot}; the counts above are the whole trace's.`);
    }
    return { g: addTrace(newGenealogy(s.lot), trace), summary, notes, nodes };
  }
  const [recall, back, fwd] = await Promise.all([
    api.recall(s.lot, { depth }, signal).then((r) => (o.answered?.({ recall: r }), r)),
    api.trace(s.lot, 'backward', { depth, nodes: nodes.up }, signal),
    api.trace(s.lot, 'forward', { depth, nodes: nodes.down }, signal),
  ]);
  const g = addTrace(addTrace(newGenealogy(s.lot), back), fwd);
  let budget = MAX_EXTRA_TRACES;

  // The lot's own traces miss its sibling lots (made by the same batch) and what they went
  // into. When the forward trace was whole, the affected lots it lacks are those: trace them
  // forward, a few at a time. Otherwise what is missing lies beyond the bound, and the
  // backbone counts it from the answer.
  while (!fwd.truncated && budget > 0) {
    const missing = recall.affected.lots.filter((c) => !g.nodes.has(lotID(c)));
    if (missing.length === 0) break;
    const wave = missing.slice(0, Math.min(PARALLEL, budget));
    budget -= wave.length;
    for (const t of await Promise.all(wave.map((c) => api.trace(c, 'forward', { depth, nodes: nodes.down }, signal)))) addTrace(g, t);
  }
  // A forward trace starts at its lot, so the edge from the source batch to each sibling
  // comes from the sibling's one-level backward trace.
  const sources = new Set(recall.source_batches.map((b) => `batch:${b}`));
  const madeBySource = new Set([...g.edges.values()].filter((e) => e.type === 'PRODUCED' && sources.has(e.from)).map((e) => e.to));
  const orphans = [...g.nodes.values()].filter(
    (n) => n.kind === 'lot' && sources.has(`batch:${String(n.properties.batch_id ?? '')}`) && !madeBySource.has(n.id),
  );
  const kept = orphans.slice(0, Math.max(0, budget));
  for (let i = 0; i < kept.length; i += PARALLEL) {
    const wave = kept.slice(i, i + PARALLEL);
    for (const t of await Promise.all(wave.map((n) => api.trace(n.key, 'backward', { depth: 1, nodes: 10 }, signal)))) addTrace(g, t);
  }
  g.truncated = recall.truncated;
  const notes = recall.truncated ? [cutNote(recall.cut_by)] : [];
  return { g, recall, roles: recallRoles(recall), notes, nodes };
}

/** loadMore loads one side of a recall's graph again with a larger bound and merges it in. */
export async function loadMore(s: State, api: Fetcher, into: Loaded, side: Side, signal?: AbortSignal): Promise<void> {
  into.nodes[side] *= 4;
  const t = await api.trace(s.lot, side === 'up' ? 'backward' : 'forward', { depth: s.depth, nodes: into.nodes[side] }, signal);
  const truncated = into.g.truncated;
  addTrace(into.g, t);
  into.g.truncated = truncated;
}

function cutNote(by: string | undefined): string {
  switch (by) {
    case 'max_depth':
      return 'This answer stops at the depth you set: clear the depth to follow the genealogy to its ends.';
    case 'safety_cap':
      return "This answer was cut by the service's safety cap on answer size.";
    default:
      return 'This answer was cut short by a depth or size bound.';
  }
}
