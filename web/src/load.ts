// What one view needs from the API: a trace, or for a recall the recall answer and every
// trace that draws its three answers.

import type { Direction, Recall, Trace } from './api';
import { addTrace, lotID, newGenealogy, recallRoles, type Genealogy, type Role } from './graph';
import type { State } from './url';

/** Fetcher is the part of the API client that loading uses (a fake one in the tests). */
export interface Fetcher {
  trace(code: string, direction: Direction, depth: number, signal?: AbortSignal): Promise<Trace>;
  recall(code: string, depth: number, signal?: AbortSignal): Promise<Recall>;
}

export interface Loaded {
  g: Genealogy;
  trace?: Trace; // the trace asked for (in recall mode: the lot's trace in both directions)
  recall?: Recall;
  roles?: Map<string, Role>;
  notes: string[]; // what the person should know about how complete the drawing is
}

/** MAX_EXTRA_TRACES bounds the calls a recall makes to draw its sibling lots' families. */
export const MAX_EXTRA_TRACES = 40;
/** PARALLEL is how many of those calls run at once. */
const PARALLEL = 6;

export async function load(s: State, api: Fetcher, signal?: AbortSignal): Promise<Loaded> {
  if (s.mode !== 'recall') {
    const trace = await api.trace(s.lot, s.mode, s.depth, signal);
    return { g: addTrace(newGenealogy(s.lot), trace), trace, notes: [] };
  }
  const [recall, trace] = await Promise.all([api.recall(s.lot, s.depth, signal), api.trace(s.lot, 'both', s.depth, signal)]);
  const g = addTrace(newGenealogy(s.lot), trace);
  const notes: string[] = [];
  let budget = MAX_EXTRA_TRACES;

  // The lot's own trace misses its sibling lots (made by the same batch) and what they went
  // into: trace the affected lots not drawn yet forward, a few at a time, until all are.
  for (;;) {
    const missing = recall.affected.lots.filter((c) => !g.nodes.has(lotID(c)));
    if (missing.length === 0) break;
    if (budget <= 0) {
      notes.push(`${missing.length} affected lots are listed in the summary but not drawn.`);
      break;
    }
    const wave = missing.slice(0, Math.min(PARALLEL, budget));
    budget -= wave.length;
    for (const t of await Promise.all(wave.map((c) => api.trace(c, 'forward', s.depth, signal)))) addTrace(g, t);
  }
  // A forward trace starts at its lot, so the edge from the source batch to each sibling
  // comes from the sibling's one-level backward trace.
  const sources = new Set(recall.source_batches.map((b) => `batch:${b}`));
  const madeBySource = new Set([...g.edges.values()].filter((e) => e.type === 'PRODUCED' && sources.has(e.from)).map((e) => e.to));
  const orphans = [...g.nodes.values()].filter(
    (n) => n.kind === 'lot' && sources.has(`batch:${String(n.properties.batch_id ?? '')}`) && !madeBySource.has(n.id),
  );
  const truncated = g.truncated; // one-level traces are cut short by design
  if (orphans.length > budget) notes.push('Some sibling lots are drawn without the edge from their batch.');
  const kept = orphans.slice(0, Math.max(0, budget));
  for (let i = 0; i < kept.length; i += PARALLEL) {
    const wave = kept.slice(i, i + PARALLEL);
    for (const t of await Promise.all(wave.map((n) => api.trace(n.key, 'backward', 1, signal)))) addTrace(g, t);
  }
  g.truncated = truncated || recall.truncated;
  if (recall.truncated) notes.push('The recall was cut short by the depth or size limit.');
  return { g, trace, recall, roles: recallRoles(recall), notes };
}
