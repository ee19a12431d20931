import { describe, expect, it } from 'vitest';
import type { ShipmentLine } from './api';
import { customerRows, mainUnit, quantityText, sortRows } from './customers';

const line = (customer: string, lot: string, quantity: number, unit: string, shipped_at: string, id = `SH-${customer}-${lot}`): ShipmentLine => ({ id, line: 1, customer, lot, quantity, unit, shipped_at });

const lines = [
  line('CUST-B', 'FG-1', 40, 'case', '2026-10-05T16:00:00Z'),
  line('CUST-B', 'FG-1', 30, 'case', '2026-10-07T16:00:00Z', 'SH-2'),
  line('CUST-B', 'FG-2', 12.5, 'kg', '2026-10-06T16:00:00Z'),
  line('CUST-A', 'FG-2', 100, 'case', '2026-10-04T16:00:00Z'),
  line('CUST-C', 'FG-3', 5, 'kg', '2026-10-09T08:00:00Z'),
];

describe('customerRows', () => {
  it('sums quantities per customer and unit, never across units, and counts distinct lots', () => {
    const rows = customerRows(lines);
    expect(rows.map((r) => r.customer)).toEqual(['CUST-A', 'CUST-B', 'CUST-C']);
    const b = rows[1];
    expect(b.lots).toBe(2);
    expect(b.lines).toBe(3);
    expect(Object.fromEntries(b.quantities)).toEqual({ case: 70, kg: 12.5 });
    expect(b.last).toBe('2026-10-07T16:00:00Z');
    expect(quantityText(b.quantities, 'case')).toBe('70 case + 12.5 kg');
    expect(quantityText(b.quantities, 'kg')).toBe('12.5 kg + 70 case');
  });

  it('sorts by each column, both ways, rows without the main unit last', () => {
    const rows = customerRows(lines);
    const unit = mainUnit(lines);
    expect(unit).toBe('case');
    const order = (key: 'customer' | 'lots' | 'quantity' | 'last', descending: boolean) => sortRows(rows, { key, descending }, unit).map((r) => r.customer);
    expect(order('customer', true)).toEqual(['CUST-C', 'CUST-B', 'CUST-A']);
    expect(order('lots', true)).toEqual(['CUST-B', 'CUST-A', 'CUST-C']);
    expect(order('quantity', false)).toEqual(['CUST-B', 'CUST-A', 'CUST-C']);
    expect(order('quantity', true)).toEqual(['CUST-A', 'CUST-B', 'CUST-C']);
    expect(order('last', false)).toEqual(['CUST-A', 'CUST-B', 'CUST-C']);
    expect(order('last', true)).toEqual(['CUST-C', 'CUST-B', 'CUST-A']);
  });
});
