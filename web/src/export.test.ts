import { describe, expect, it } from 'vitest';
import { recallURL, traceURL } from './api';

describe('export links', () => {
  it('asks for an EPCIS document of the trace or the recall, lot codes escaped', () => {
    expect(traceURL('urn:epc:class:lgtin:4012345.012345.998877', 'backward', { depth: 3 }, 'epcis')).toBe(
      '/api/v1/lots/urn%3Aepc%3Aclass%3Algtin%3A4012345.012345.998877/trace?direction=backward&max_depth=3&format=epcis',
    );
    expect(recallURL('FG-1', {}, 'epcis')).toBe('/api/v1/lots/FG-1/recall?format=epcis');
  });
});
