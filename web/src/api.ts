// The service's JSON API (../../shared/API.md), typed for the explorer.

import { BookmarkChain } from './bookmark';

export type Kind = 'lot' | 'batch' | 'supplier' | 'customer';
export type Direction = 'backward' | 'forward' | 'both';
export type Props = Record<string, unknown>;

export interface TraceNode {
  id: string; // "kind:key"
  kind: Kind;
  key: string;
  properties: Props;
}

/** TraceEdge points the way the relationship is stored (lot→supplier for RECEIVED_FROM). */
export interface TraceEdge {
  from: string;
  to: string;
  type: string;
  properties: Props;
}

export interface Trace {
  root: string;
  direction: Direction;
  nodes: TraceNode[];
  edges: TraceEdge[];
  lots: string[];
  batches: string[];
  suppliers: string[];
  customers: string[];
  truncated: boolean;
  cut_by?: CutBy;
  took_ms: number;
}

/** TraceGraph is the part of a trace the explorer draws from (fields=nodes,edges,properties). */
export type TraceGraph = Pick<Trace, 'root' | 'direction' | 'nodes' | 'edges' | 'truncated' | 'cut_by'>;

/** CutBy says which bound cut a walk short, when one did. */
export type CutBy = 'max_depth' | 'max_nodes' | 'safety_cap';

/** TraceSummary is a trace answered with view=summary: the sorted keys, no nodes or edges. */
export interface TraceSummary {
  root: string;
  direction: Direction;
  lots: string[];
  batches: string[];
  suppliers: string[];
  customers: string[];
  truncated: boolean;
  cut_by?: CutBy;
  took_ms: number;
}

export interface ShipmentLine {
  id: string;
  line: number;
  customer: string;
  lot: string;
  quantity: number;
  unit: string;
  shipped_at: string;
}

export interface Recall {
  lot: string;
  source_batches: string[];
  ingredients: { lots: string[]; batches: string[]; suppliers: string[] };
  affected: { lots: string[]; batches: string[]; customers: string[]; shipments: ShipmentLine[] };
  truncated: boolean;
  cut_by?: CutBy;
  took_ms: number;
}

export interface LotSummary {
  code: string;
  product: string;
  description?: string;
  quantity: number;
  unit: string;
  origin: 'receipt' | 'production';
  origin_at: string;
  location: string;
  batch?: string;
  expires_at?: string;
}

export interface LotQuery {
  q?: string;
  customer?: string;
  product?: string;
  from?: string;
  to?: string;
  limit?: number;
}

/** ApiError is a non-2xx answer, with the problem document's words for the person. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const lotPath = (code: string): string => `/api/v1/lots/${encodeURIComponent(code)}`;

function withQuery(path: string, params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

type Requester = (url: string, init?: RequestInit) => Promise<Response>;
/** bookmarks carry the service's causal-consistency bookmark from answer to call (bookmark.ts). */
export const bookmarks = new BookmarkChain();
let requester: Requester = bookmarks.wrap((url, init) => fetch(url, init));

/** sendWith makes every API call go through f: main.ts passes the API key handling (auth.ts). */
export function sendWith(f: Requester): void {
  requester = bookmarks.wrap(f);
}

/** request sends an API call and turns a non-2xx answer into an ApiError. */
export async function request(url: string, init: RequestInit = {}): Promise<Response> {
  const res = await requester(url, init);
  if (!res.ok) throw new ApiError(res.status, await problemMessage(res));
  return res;
}

async function getJSON<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await request(url, { headers: { Accept: 'application/json' }, signal });
  return (await res.json()) as T;
}

export async function problemMessage(res: Response): Promise<string> {
  if (res.status === 401) return 'This server needs an API key: press "API key" at the top of the page to enter one.';
  try {
    const p = (await res.json()) as { title?: string; detail?: string; errors?: { field: string; message: string }[] };
    const fields = (p.errors ?? []).map((e) => `${e.field}: ${e.message}`).join('; ');
    return [p.detail || p.title || res.statusText, fields].filter(Boolean).join(' — ');
  } catch {
    return `${res.status} ${res.statusText}`;
  }
}

export async function findLots(query: LotQuery, signal?: AbortSignal): Promise<LotSummary[]> {
  const body = await getJSON<{ lots: LotSummary[] }>(withQuery('/api/v1/lots', { ...query }), signal);
  return body.lots;
}

/**
 * Bounds are the optional limits of a walk: depth in transformation levels (none: the
 * genealogy to its ends, the service's default) and nodes, the most lots and batches.
 */
export interface Bounds {
  depth?: number;
  nodes?: number;
}

/** ExportFormat is a download of a trace or recall: the FSMA 204 sheet, or a GS1 EPCIS 2.0 document. */
export type ExportFormat = 'csv' | 'xlsx' | 'epcis';

export function traceURL(code: string, direction: Direction, b: Bounds = {}, format?: ExportFormat): string {
  return withQuery(`${lotPath(code)}/trace`, { direction, max_depth: b.depth, max_nodes: b.nodes, format });
}

/** traceSummaryURL asks for a trace's keys only (view=summary): exact counts, a small answer. */
export function traceSummaryURL(code: string, direction: Direction, b: Bounds = {}): string {
  return withQuery(`${lotPath(code)}/trace`, { direction, max_depth: b.depth, view: 'summary' });
}

export function recallURL(code: string, b: Bounds = {}, format?: ExportFormat): string {
  return withQuery(`${lotPath(code)}/recall`, { max_depth: b.depth, max_nodes: b.nodes, format });
}

/**
 * graphURL asks for the graph of a trace to draw: its nodes and edges with their properties,
 * without the key lists, which the answer (the recall, or view=summary) already gave.
 */
export function graphURL(code: string, direction: Direction, b: Bounds = {}): string {
  return withQuery(`${lotPath(code)}/trace`, { direction, max_depth: b.depth, max_nodes: b.nodes, fields: 'nodes,edges,properties' });
}

export const getTrace = (code: string, direction: Direction, b: Bounds, signal?: AbortSignal): Promise<TraceGraph> =>
  getJSON<TraceGraph>(graphURL(code, direction, b), signal);

export const getTraceSummary = (code: string, direction: Direction, b: Bounds, signal?: AbortSignal): Promise<TraceSummary> =>
  getJSON<TraceSummary>(traceSummaryURL(code, direction, b), signal);

export const getRecall = (code: string, b: Bounds, signal?: AbortSignal): Promise<Recall> =>
  getJSON<Recall>(recallURL(code, b), signal);

/** reportURL is the recall report as a printable page. */
export function reportURL(code: string, b: Bounds = {}): string {
  return withQuery(`${lotPath(code)}/recall/report`, { max_depth: b.depth, format: 'html' });
}

/** CypherValue is one value of a console answer: a node, relationship, path, or plain JSON. */
export type CypherValue = unknown;

export interface CypherNode {
  id: string;
  labels: string[];
  properties: Props;
}

export interface CypherRelationship {
  id: string;
  type: string;
  start: string;
  end: string;
  properties: Props;
}

export interface CypherPath {
  nodes: CypherNode[];
  relationships: CypherRelationship[];
}

export interface CypherResult {
  columns: string[];
  rows: CypherValue[][];
  truncated: boolean;
  /** Which of the server's caps cut the answer, when truncated. */
  cut_by?: 'max_rows' | 'max_bytes';
  took_ms: number;
}

/** runCypher sends a query to the analysts' read-only console, POST /api/v1/cypher. */
export async function runCypher(query: string, params: Record<string, unknown>, signal?: AbortSignal): Promise<CypherResult> {
  const res = await request('/api/v1/cypher', {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, params }),
    signal,
  });
  return (await res.json()) as CypherResult;
}

/** Recall cases (issue 16): a real case holds every affected lot; a mock one only records it. */
export type CaseKind = 'mock' | 'real';
export type StepKind = 'customer_notified' | 'customer_confirmed' | 'stock_quarantined' | 'regulator_notified' | 'note';

export interface Quantity {
  quantity: number;
  unit: string;
}

export interface CaseHold {
  lot: string;
  enforced: boolean;
  active: boolean;
  placed_at: string;
  released_at?: string;
  released_by?: string;
  release_reason?: string;
}

export interface CaseStep {
  id: string;
  kind: StepKind;
  at: string;
  by: string;
  customer?: string;
  on_hand?: number;
  returned?: number;
  destroyed?: number;
  unit?: string;
  note?: string;
}

export interface CustomerProgress {
  customer: string;
  name: string;
  contact: string;
  shipped: Quantity[];
  notified_at?: string;
  confirmed_at?: string;
  on_hand?: number;
  returned?: number;
  destroyed?: number;
  unit?: string;
}

/** CaseHead is what the list and the case file both say of a case. */
export interface CaseHead {
  id: string;
  kind: CaseKind;
  state: 'open' | 'closed';
  reason: string;
  lots: string[];
  opened_at: string;
  opened_by: string;
}

export interface RecallCase extends CaseHead {
  closed_at?: string;
  closed_by?: string;
  conclusion?: string;
  scope: { version: number; computed_at: string; affected_lots: string[] };
  holds: CaseHold[];
  steps: CaseStep[];
  timeline: {
    opened_at: string;
    to_trace_complete_s: number | null;
    to_all_notified_s: number | null;
    to_close_s: number | null;
    mock_target_s: number;
    mock_result?: 'pass' | 'fail' | 'pending';
  };
  effectiveness: {
    customers: number;
    notified: number;
    confirmed: number;
    confirmed_share: number;
    accounted_share: number;
    per_customer: CustomerProgress[];
  };
}

export interface CaseSummary extends CaseHead {
  customers: number;
  active_holds: number;
  steps: number;
}

export const casePath = (id: string): string => `/api/v1/recalls/${encodeURIComponent(id)}`;

/** caseFileURL is a case file to download or print. */
export const caseFileURL = (id: string, format: 'html' | 'xlsx'): string => withQuery(casePath(id), { format });

async function postJSON<T>(url: string, body: unknown): Promise<T> {
  const res = await request(url, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}

export async function listCases(filter: { kind?: string; state?: string } = {}, signal?: AbortSignal): Promise<CaseSummary[]> {
  return (await getJSON<{ cases: CaseSummary[] }>(withQuery('/api/v1/recalls', filter), signal)).cases;
}

export const getCase = (id: string, signal?: AbortSignal): Promise<RecallCase> => getJSON<RecallCase>(casePath(id), signal);

export const openCase = (lots: string[], kind: CaseKind, reason: string): Promise<RecallCase> =>
  postJSON<RecallCase>('/api/v1/recalls', { lots, kind, reason });

export const addStep = (id: string, step: Omit<CaseStep, 'id' | 'at' | 'by'>): Promise<RecallCase> =>
  postJSON<RecallCase>(`${casePath(id)}/steps`, step);

export const releaseLots = (id: string, lots: string[], reason: string): Promise<RecallCase> =>
  postJSON<RecallCase>(`${casePath(id)}/release`, { lots, reason });

export const closeCase = (id: string, conclusion: string): Promise<RecallCase> => postJSON<RecallCase>(`${casePath(id)}/close`, { conclusion });
