import { StringStream } from '@codemirror/language';
import { describe, expect, it } from 'vitest';
import { completionKind, cypherParser } from './cypher-lang';

/** tokens runs the tokenizer over text and lists [token text, token name] pairs, skipping spaces. */
function tokens(text: string): [string, string | null][] {
  const state = cypherParser.startState!(2);
  const out: [string, string | null][] = [];
  for (const line of text.split('\n')) {
    const stream = new StringStream(line, 4, 2);
    while (!stream.eol()) {
      const style = cypherParser.token(stream, state);
      const tok = stream.current();
      if (tok.trim()) out.push([tok, style]);
      stream.start = stream.pos;
    }
  }
  return out;
}

const named = (text: string, name: string) => tokens(text).filter(([, n]) => n === name).map(([t]) => t);

describe('the Cypher tokenizer', () => {
  const q = `MATCH (l:Lot {code: $lot})-[r:SHIPPED_TO|CONSUMED_IN]->(c:Customer)
WHERE r.shipped_at >= datetime('2026-10-01') AND r.quantity > 1.5e2 // recent
RETURN DISTINCT c.name AS name, count(*) AS n /* a block
comment */ LIMIT 10`;

  it('names keywords, labels, relationship types, properties and parameters', () => {
    expect(named(q, 'keyword')).toEqual(['MATCH', 'WHERE', 'AND', 'RETURN', 'DISTINCT', 'AS', 'AS', 'LIMIT']);
    expect(named(q, 'label')).toEqual(['Lot', 'Customer']);
    expect(named(q, 'relType')).toEqual(['SHIPPED_TO', 'CONSUMED_IN']);
    expect(named(q, 'property')).toEqual(['code', 'shipped_at', 'quantity', 'name']);
    expect(named(q, 'param')).toEqual(['$lot']);
    expect(named(q, 'function')).toEqual(['datetime', 'count']);
    expect(named(q, 'variable')).toEqual(['l', 'r', 'c', 'r', 'r', 'c', 'name', 'n']);
  });

  it('reads strings, numbers and both kinds of comment', () => {
    expect(named(q, 'string')).toEqual(["'2026-10-01'"]);
    expect(named(q, 'number')).toEqual(['1.5e2', '10']);
    expect(named(q, 'comment')).toEqual(['// recent', '/* a block', 'comment */']);
  });

  it('keeps a string with escapes, or over two lines, whole', () => {
    expect(named(`RETURN 'it\\'s', "a\nb"`, 'string')).toEqual([`'it\\'s'`, '"a', 'b"']);
  });

  it('tells a map key from a label, and a property named like a keyword from the keyword', () => {
    const t = tokens('MATCH (l)-[s:SHIPPED_TO]->() WHERE l:Lot RETURN s.from, {from: s.from}, db.labels()');
    expect(t.filter(([, n]) => n === 'property').map(([x]) => x)).toEqual(['from', 'from', 'from']);
    expect(t.filter(([, n]) => n === 'label').map(([x]) => x)).toEqual(['Lot']);
    expect(t.filter(([, n]) => n === 'function').map(([x]) => x)).toEqual(['labels']);
  });

  it('leaves backquoted names whole', () => {
    expect(named('MATCH (n:`Odd Label`) RETURN n.`odd key`', 'label')).toEqual(['`Odd Label`']);
    expect(named('MATCH (n:`Odd Label`) RETURN n.`odd key`', 'property')).toEqual(['`odd key`']);
  });
});

describe('completionKind', () => {
  it.each([
    ['MATCH (l:', 'label', 9],
    ['MATCH (l:Lo', 'label', 9],
    ['MATCH (l)-[:', 'relType', 12],
    ['MATCH (l)-[r:SHIPPED_TO|CON', 'relType', 24],
    ['MATCH (l) WHERE l:', 'label', 18],
    ['MATCH (l) RETURN l.', 'property', 19],
    ['MATCH (l) RETURN l.pro', 'property', 19],
    ['MATCH (l:Lot {', 'property', 14],
    ['MATCH (l:Lot {code: $x, pro', 'property', 24],
    ['MATCH (l:Lot {code: ', 'word', 20],
    ['MATCH (l:Lot {code: $l', 'param', 20],
    ['MAT', 'word', 0],
    ['MATCH (l) RET', 'word', 10],
  ])('%s → %s', (before, kind, from) => {
    expect(completionKind(before)).toEqual({ kind, from });
  });
});
