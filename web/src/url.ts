// The view's state in the address bar, so that a link reproduces what the person sees.

import type { Direction } from './api';

export type Mode = Direction | 'recall';
export const MODES: Mode[] = ['backward', 'forward', 'both', 'recall'];

export interface State {
  lot: string; // '' when no lot is chosen yet
  mode: Mode;
  depth?: number; // max_depth of the traces, in transformation levels; none: to the ends
}

export const DEFAULT_MODE: Mode = 'both';

/** parseState reads a query string ("?lot=FG-1&mode=recall&depth=5"), forgiving bad values. */
export function parseState(search: string): State {
  const q = new URLSearchParams(search);
  const mode = q.get('mode') as Mode | null;
  const depth = Number(q.get('depth'));
  return {
    lot: (q.get('lot') ?? '').trim(),
    mode: mode && MODES.includes(mode) ? mode : DEFAULT_MODE,
    depth: q.has('depth') && Number.isInteger(depth) && depth >= 1 ? depth : undefined,
  };
}

/** formatState writes the query string, leaving out what is default. */
export function formatState(s: State): string {
  const q = new URLSearchParams();
  if (s.lot) q.set('lot', s.lot);
  if (s.mode !== DEFAULT_MODE) q.set('mode', s.mode);
  if (s.depth !== undefined) q.set('depth', String(s.depth));
  const text = q.toString();
  return text ? `?${text}` : '';
}

export const sameState = (a: State, b: State): boolean => a.lot === b.lot && a.mode === b.mode && a.depth === b.depth;

/** Tab is the page's view: the genealogy explorer, the analysts' Cypher console, the recall cases or the FDA records request. */
export type Tab = 'explorer' | 'console' | 'recalls' | 'records';

/** HashState is the part of the view kept after "#": the tab, the console's query, the case shown. */
export interface HashState {
  tab: Tab;
  query: string;
  params: string; // JSON text, as typed
  case?: string; // the recall case shown in the Recalls tab
}

/** parseHash reads "#tab=console&query=...&params=..." or "#tab=recalls&case=RC-..."; any
 * other hash is the explorer. */
export function parseHash(hash: string): HashState {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const tab = q.get('tab');
  return {
    tab: tab === 'console' || tab === 'recalls' || tab === 'records' ? tab : 'explorer',
    query: q.get('query') ?? '',
    params: q.get('params') ?? '',
    case: q.get('case') || undefined,
  };
}

/** formatHash writes the hash: nothing for the explorer, the query only when there is one. */
export function formatHash(h: HashState): string {
  if (h.tab === 'recalls') return h.case ? `#${new URLSearchParams({ tab: 'recalls', case: h.case }).toString()}` : '#tab=recalls';
  if (h.tab === 'records') return '#tab=records';
  if (h.tab !== 'console') return '';
  const q = new URLSearchParams({ tab: 'console' });
  if (h.query.trim()) q.set('query', h.query);
  if (h.params.trim() && h.params.trim() !== '{}') q.set('params', h.params);
  return `#${q.toString()}`;
}
