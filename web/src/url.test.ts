import { describe, expect, it } from 'vitest';
import { formatHash, formatState, parseHash, parseState } from './url';

describe('state in the URL', () => {
  it.each([
    [{ lot: 'FG-1', mode: 'recall' as const, depth: 5 }, '?lot=FG-1&mode=recall&depth=5'],
    [{ lot: 'FG-1', mode: 'both' as const, depth: 250 }, '?lot=FG-1&depth=250'],
    [{ lot: 'FG-1', mode: 'both' as const, depth: undefined }, '?lot=FG-1'],
    [{ lot: '', mode: 'both' as const, depth: undefined }, ''],
    [{ lot: 'urn:epc:class:lgtin:0614141.107346.A/B 7&x', mode: 'forward' as const, depth: undefined }, '?lot=urn%3Aepc%3Aclass%3Algtin%3A0614141.107346.A%2FB+7%26x&mode=forward'],
  ])('round-trips %o', (state, search) => {
    expect(formatState(state)).toBe(search);
    expect(parseState(search)).toEqual(state);
  });

  it('falls back to the defaults for values it cannot use: no depth bound, the genealogy to its ends', () => {
    expect(parseState('?lot=%20FG-1%20&mode=sideways&depth=0')).toEqual({ lot: 'FG-1', mode: 'both', depth: undefined });
    expect(parseState('?depth=').depth).toBeUndefined();
    expect(parseState('?depth=2.5').depth).toBeUndefined();
    expect(parseState('?depth=5000').depth).toBe(5000);
  });
});

describe('the tab and the console query in the hash', () => {
  it('round-trips the console with its query and parameters', () => {
    const h = { tab: 'console' as const, query: "MATCH (l:Lot {code: $lot})\nRETURN l // 50% & more", params: '{"lot": "FG-1"}' };
    expect(parseHash(formatHash(h))).toEqual(h);
  });

  it('leaves the explorer and empty parts out', () => {
    expect(formatHash({ tab: 'explorer', query: 'MATCH (n) RETURN n', params: '' })).toBe('');
    expect(formatHash({ tab: 'console', query: ' ', params: '{}' })).toBe('#tab=console');
  });

  it('reads any other hash as the explorer', () => {
    expect(parseHash('#nodelist')).toEqual({ tab: 'explorer', query: '', params: '' });
    expect(parseHash('')).toEqual({ tab: 'explorer', query: '', params: '' });
  });
});
