import { describe, expect, it } from 'vitest';
import { parseProducts, recordsURL, scopeQuery } from './fsma';
import { formatHash, parseHash } from './url';

describe('records request', () => {
  it('reads product codes however they are separated, once each', () => {
    expect(parseProducts(' EGGS-12, MOZZ-250\nEGGS-12 | PB-1 ,, ')).toEqual(['EGGS-12', 'MOZZ-250', 'PB-1']);
  });
  it('asks for the scope the way the API reads it', () => {
    const s = { products: ['A', 'B/1'], food: 'shell_eggs', from: '2026-03-01', to: '' };
    expect(scopeQuery(s)).toBe('product=A%7CB%2F1&food=shell_eggs&from=2026-03-01');
    expect(recordsURL(s, 'xlsx')).toBe('/api/v1/fsma/records?product=A%7CB%2F1&food=shell_eggs&from=2026-03-01&format=xlsx');
  });
  it('keeps the records tab in the address', () => {
    expect(parseHash('#tab=records').tab).toBe('records');
    expect(formatHash({ tab: 'records', query: '', params: '' })).toBe('#tab=records');
    expect(parseHash('#tab=nonsense').tab).toBe('explorer');
  });
});
