import { describe, expect, it } from 'vitest';
import { clock, confirmUnit, percent } from './recalls';
import { formatHash, parseHash } from './url';

describe('recall case helpers', () => {
  it('writes clocks as h:mm:ss, and not yet for null', () => {
    expect(clock(0)).toBe('0:00:00');
    expect(clock(3725.4)).toBe('1:02:05');
    expect(clock(4 * 3600)).toBe('4:00:00');
    expect(clock(null)).toBe('not yet');
  });
  it('writes shares as whole percentages', () => {
    expect(percent(0.5)).toBe('50 %');
    expect(percent(1)).toBe('100 %');
    expect(percent(2 / 3)).toBe('67 %');
  });
  it('asks a confirmation in the unit confirmed before, else the unit shipped', () => {
    expect(confirmUnit({ customer: 'C', name: '', contact: '', shipped: [{ quantity: 5, unit: 'case' }] })).toBe('case');
    expect(confirmUnit({ customer: 'C', name: '', contact: '', shipped: [{ quantity: 5, unit: 'case' }], unit: 'kg' })).toBe('kg');
  });
  it('keeps the Recalls tab and its case in the hash', () => {
    expect(parseHash('#tab=recalls&case=RC-1')).toEqual({ tab: 'recalls', query: '', params: '', case: 'RC-1' });
    expect(formatHash({ tab: 'recalls', query: '', params: '', case: 'RC-20261203-AB' })).toBe('#tab=recalls&case=RC-20261203-AB');
    expect(formatHash({ tab: 'recalls', query: '', params: '' })).toBe('#tab=recalls');
    expect(parseHash('#tab=other').tab).toBe('explorer');
  });
});
