// The FDA records request's API: the Food Traceability List, products, the completeness
// report, and the address of the records spreadsheet.

import { request } from './api';
import { h } from './dom';

export interface FTLFood {
  category: string;
  name: string;
}

export interface Product {
  id: string;
  description?: string;
  ftl_category?: string;
  ftl_name?: string;
}

export interface RecordsScope {
  products: string[];
  food: string;
  from: string; // a date, or ''
  to: string;
}

export interface GapRecord {
  event_id: string;
  role?: string;
  line?: number;
  lot: string;
  date: string | null;
  link: string;
  view: string;
}

export interface Finding {
  rule: string;
  kde: string;
  name: string;
  role?: string;
  missing: number;
  examples: GapRecord[];
}

export interface CTECompleteness {
  cte: 'shipping' | 'receiving' | 'transformation';
  records: number;
  complete: number;
  percent_complete: number;
  findings: Finding[];
}

export interface Completeness {
  ctes: CTECompleteness[];
}

/** scopeQuery is the scope as the records and completeness routes read it. */
export function scopeQuery(s: RecordsScope, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  if (s.products.length) q.set('product', s.products.join('|'));
  if (s.food) q.set('food', s.food);
  if (s.from) q.set('from', s.from);
  if (s.to) q.set('to', s.to);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}

/** parseProducts reads product codes typed one per line or separated by commas or pipes. */
export function parseProducts(text: string): string[] {
  return [...new Set(text.split(/[\n,|]/).map((p) => p.trim()).filter(Boolean))];
}

export const recordsURL = (s: RecordsScope, format: 'xlsx' | 'csv'): string => `/api/v1/fsma/records?${scopeQuery(s, { format })}`;

export async function getFoods(): Promise<FTLFood[]> {
  const res = await request('/api/v1/fsma/foods', { headers: { Accept: 'application/json' } });
  return ((await res.json()) as { foods: FTLFood[] }).foods;
}

export async function getCompleteness(s: RecordsScope, signal?: AbortSignal): Promise<Completeness> {
  const res = await request(`/api/v1/fsma/completeness?${scopeQuery(s)}`, { headers: { Accept: 'application/json' }, signal });
  return (await res.json()) as Completeness;
}

let products: Promise<Map<string, Product>> | null = null;

/** getProduct reads the products once per page (GET /api/v1/products, a short list: asking
 * for each lot's product would answer 404 for every product not stored); unknown is null. */
export function getProduct(id: string): Promise<Product | null> {
  products ??= request('/api/v1/products', { headers: { Accept: 'application/json' } })
    .then((res) => res.json() as Promise<{ products: Product[] }>)
    .then((body) => new Map(body.products.map((p) => [p.id, p])))
    .catch((err: unknown) => {
      products = null;
      throw err;
    });
  return products.then((m) => m.get(id) ?? null);
}

/** ftlBadge is a lot's line saying its food is on the Food Traceability List, filled in once
 * the product is read; it stays empty for a food not on the list. */
export function ftlBadge(product: string): HTMLElement {
  const el = h('p', { class: 'ftl-badge', hidden: true });
  if (!product) return el;
  void getProduct(product)
    .then((p) => {
      if (p?.ftl_category) {
        el.textContent = `Food Traceability List: ${p.ftl_name ?? p.ftl_category}`;
        el.title = 'FSMA 204 applies to this food (21 CFR 1 Subpart S)';
        el.hidden = false;
      }
    })
    .catch(() => {});
  return el;
}
