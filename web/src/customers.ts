// The recall's customer table: one row a customer, built from the recall's shipment lines.
// Quantities are summed per unit of measure, never across units (kg are not cases).

import type { ShipmentLine } from './api';
import { formatNumber } from './graph';

export interface CustomerRow {
  customer: string;
  lots: number; // distinct affected lots shipped to the customer
  lines: number;
  quantities: Map<string, number>; // unit → total
  last: string; // the latest shipped_at, RFC 3339
}

/** customerRows sums the shipment lines per customer, in customer order. */
export function customerRows(lines: ShipmentLine[]): CustomerRow[] {
  const rows = new Map<string, CustomerRow & { lotSet: Set<string> }>();
  for (const l of lines) {
    let r = rows.get(l.customer);
    if (!r) rows.set(l.customer, (r = { customer: l.customer, lots: 0, lines: 0, quantities: new Map(), last: '', lotSet: new Set() }));
    r.lotSet.add(l.lot);
    r.lines++;
    r.quantities.set(l.unit, (r.quantities.get(l.unit) ?? 0) + l.quantity);
    if (Date.parse(l.shipped_at) > (r.last ? Date.parse(r.last) : -Infinity)) r.last = l.shipped_at;
  }
  return [...rows.values()]
    .map(({ lotSet, ...r }) => ({ ...r, lots: lotSet.size }))
    .sort((a, b) => compareText(a.customer, b.customer));
}

export type SortKey = 'customer' | 'lots' | 'quantity' | 'last';
export interface Sort {
  key: SortKey;
  descending: boolean;
}

/**
 * mainUnit is the unit most shipment lines use: the quantity column sorts by it, since
 * quantities in different units cannot be compared (rows without it come last).
 */
export function mainUnit(lines: ShipmentLine[]): string {
  const n = new Map<string, number>();
  for (const l of lines) n.set(l.unit, (n.get(l.unit) ?? 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))[0]?.[0] ?? '';
}

/** sortRows orders the rows by one column; ties keep customer order. */
export function sortRows(rows: CustomerRow[], sort: Sort, unit: string): CustomerRow[] {
  const dir = sort.descending ? -1 : 1;
  const key = (r: CustomerRow): number | string => {
    switch (sort.key) {
      case 'customer':
        return r.customer;
      case 'lots':
        return r.lots;
      case 'quantity':
        return r.quantities.get(unit) ?? Number.NEGATIVE_INFINITY;
      case 'last':
        return Date.parse(r.last);
    }
  };
  return [...rows].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const c = typeof ka === 'string' ? compareText(ka, kb as string) : ka === kb ? 0 : ka < (kb as number) ? -1 : 1;
    // Rows without the main unit stay last in both directions.
    if (sort.key === 'quantity' && (ka === Number.NEGATIVE_INFINITY) !== (kb === Number.NEGATIVE_INFINITY)) return ka === Number.NEGATIVE_INFINITY ? 1 : -1;
    return dir * c || compareText(a.customer, b.customer);
  });
}

/** quantityText says "1,200 case + 40 kg": the main unit first, then the others by name. */
export function quantityText(q: Map<string, number>, unit: string): string {
  return [...q]
    .sort((a, b) => (a[0] === unit ? -1 : b[0] === unit ? 1 : compareText(a[0], b[0])))
    .map(([u, n]) => `${formatNumber(n)} ${u}`)
    .join(' + ');
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
