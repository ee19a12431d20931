// Cypher for CodeMirror 6: a small stream tokenizer (keywords, strings, comments, numbers,
// labels, relationship types, property keys, parameters), its colours, and completion from
// the graph's own labels, relationship types and property keys.
//
// Neo4j's @neo4j-cypher/codemirror brings a whole ANTLR parser for this; @codemirror/legacy-modes
// has a CodeMirror 5 Cypher mode that reads `n:Lot` as one word and knows neither parameters,
// numbers nor block comments. A few dozen lines of our own do what the console needs.

import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { HighlightStyle, StreamLanguage, type StreamParser, type StringStream } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

/** Keywords are highlighted; the read ones are also offered by completion. */
const READ_KEYWORDS = [
  'MATCH', 'OPTIONAL', 'WHERE', 'RETURN', 'WITH', 'UNWIND', 'ORDER', 'BY', 'SKIP', 'LIMIT', 'DISTINCT', 'AS', 'AND',
  'OR', 'XOR', 'NOT', 'IN', 'STARTS', 'ENDS', 'CONTAINS', 'IS', 'NULL', 'TRUE', 'FALSE', 'CASE', 'WHEN', 'THEN', 'ELSE',
  'END', 'CALL', 'YIELD', 'UNION', 'ALL', 'ASC', 'DESC', 'ASCENDING', 'DESCENDING', 'EXISTS',
];
const WRITE_KEYWORDS = ['CREATE', 'MERGE', 'SET', 'DELETE', 'DETACH', 'REMOVE', 'FOREACH', 'LOAD', 'CSV', 'ON', 'DROP', 'USE', 'SHOW'];
const KEYWORDS = new Set([...READ_KEYWORDS, ...WRITE_KEYWORDS].map((k) => k.toLowerCase()));

/** FUNCTIONS are the common ones, offered by completion (any name followed by "(" is coloured). */
const FUNCTIONS = [
  'abs', 'avg', 'coalesce', 'collect', 'count', 'date', 'datetime', 'duration', 'elementId', 'endNode', 'head', 'keys',
  'labels', 'last', 'length', 'max', 'min', 'nodes', 'percentileCont', 'properties', 'range', 'reduce', 'relationships',
  'replace', 'round', 'size', 'split', 'startNode', 'substring', 'sum', 'tail', 'toFloat', 'toInteger', 'toLower',
  'toString', 'toUpper', 'trim', 'type', 'shortestPath', 'allShortestPaths',
];

interface CypherState {
  brackets: string[]; // the open ( [ { around the position, innermost last
  comment: boolean; // inside /* */
  quote: string | null; // inside a string that goes on past the line
  next: 'label' | 'relType' | null; // what the next name is, after ":" or "|"
}

function readString(stream: StringStream, state: CypherState): string {
  const q = state.quote!;
  while (!stream.eol()) {
    const ch = stream.next();
    if (ch === '\\') stream.next();
    else if (ch === q) {
      state.quote = null;
      break;
    }
  }
  return 'string';
}

function readComment(stream: StringStream, state: CypherState): string {
  state.comment = !stream.skipTo('*/');
  if (state.comment) stream.skipToEnd();
  else stream.match('*/');
  return 'comment';
}

/** cypherParser is the tokenizer; each token's name is a key of TOKENS. */
export const cypherParser: StreamParser<CypherState> = {
  name: 'cypher',
  startState: () => ({ brackets: [], comment: false, quote: null, next: null }),
  token(stream, state) {
    if (state.comment) return readComment(stream, state);
    if (state.quote) return readString(stream, state);
    if (stream.eatSpace()) return null;
    if (stream.match('//')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match('/*')) {
      state.comment = true;
      return readComment(stream, state);
    }
    const ch = stream.peek()!;
    if (ch === '"' || ch === "'") {
      stream.next();
      state.quote = ch;
      return readString(stream, state);
    }
    const expected = state.next;
    state.next = null;
    if (stream.match(/^(?:0x[\da-f]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?)/i)) return 'number';
    if (stream.match(/^\$(?:\w+|`[^`]*`)/)) return 'param';
    if (stream.match(/^(?:\w+|`[^`]*`)/)) {
      if (expected) return expected;
      const word = stream.current();
      const call = stream.match(/^\s*\(/, false);
      const before = stream.string.slice(0, stream.start).trimEnd();
      if (before.endsWith('.') && !before.endsWith('..')) return call ? 'function' : 'property'; // n.code, db.labels()
      if (state.brackets.at(-1) === '{' && stream.match(/^\s*:/, false)) return 'property'; // {code: ...}
      if (KEYWORDS.has(word.toLowerCase())) return 'keyword';
      return call ? 'function' : 'variable';
    }
    stream.next();
    const inRel = state.brackets.at(-1) === '[';
    if ('([{'.includes(ch)) state.brackets.push(ch);
    else if (')]}'.includes(ch)) state.brackets.pop();
    else if (ch === ':' && state.brackets.at(-1) !== '{') state.next = inRel ? 'relType' : 'label';
    else if (ch === '|' && /[:|]\s*(?:\w+|`[^`]*`)\s*$/.test(stream.string.slice(0, stream.start))) state.next = inRel ? 'relType' : 'label';
    return /[()[\]{},.;]/.test(ch) ? 'punctuation' : 'operator';
  },
  languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } } },
  tokenTable: {
    label: t.typeName,
    relType: t.labelName,
    property: t.propertyName,
    param: t.special(t.variableName),
    function: t.function(t.variableName),
  },
};

export const cypherLanguage = StreamLanguage.define(cypherParser);

/** cypherHighlight colours the tokens, each at least 4.5:1 against the white editor. */
export const cypherHighlight = HighlightStyle.define([
  { tag: t.keyword, color: '#6d28d9', fontWeight: '600' },
  { tag: t.typeName, color: '#1d4ed8' }, // labels, in the explorer's lot blue
  { tag: t.labelName, color: '#047857' }, // relationship types
  { tag: t.propertyName, color: '#374151' },
  { tag: t.string, color: '#b91c1c' },
  { tag: t.number, color: '#a16207' },
  { tag: t.special(t.variableName), color: '#c2410c', fontWeight: '600' },
  { tag: t.function(t.variableName), color: '#0e7490' },
  { tag: t.comment, color: '#6b7280', fontStyle: 'italic' },
]);

/** Schema is what completion knows of the graph. */
export interface Schema {
  labels: string[];
  relationshipTypes: string[];
  propertyKeys: string[];
}

export type CompletionKind = 'label' | 'relType' | 'property' | 'param' | 'word';

/**
 * completionKind tells what the name being typed at the end of `before` is: a label after ":"
 * in a node pattern (or WHERE n:), a relationship type after ":" or "|" in brackets, a
 * property key after "." or at a key of a map, a parameter after "$", else a keyword or
 * function. Strings and comments are not told apart: completion there is harmless.
 */
export function completionKind(before: string): { kind: CompletionKind; from: number } {
  const word = /[\w`]*$/.exec(before)!;
  const from = word.index;
  const head = before.slice(0, from);
  if (head.endsWith('$')) return { kind: 'param', from: from - 1 };
  const open = openBracket(head);
  const afterColon = /:\s*$/.test(head) && open !== '{';
  const afterBar = /[:|]\s*[\w`]+\s*\|\s*$/.test(head);
  if (afterColon || afterBar) return { kind: open === '[' ? 'relType' : 'label', from };
  if (/[^.]\.$/.test(head)) return { kind: 'property', from };
  if (open === '{' && /[{,]\s*$/.test(head)) return { kind: 'property', from };
  return { kind: 'word', from };
}

/** openBracket is the innermost bracket still open at the end of text. */
function openBracket(text: string): string | undefined {
  const stack: string[] = [];
  for (const ch of text) {
    if ('([{'.includes(ch)) stack.push(ch);
    else if (')]}'.includes(ch)) stack.pop();
  }
  return stack.at(-1);
}

const quoted = (name: string) => (/^[A-Za-z_]\w*$/.test(name) ? name : `\`${name.replaceAll('`', '``')}\``);

/** cypherCompletion completes from the schema (when fetched) and the parameters' names. */
export function cypherCompletion(schema: () => Schema | null, params: () => string[]) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const before = ctx.state.sliceDoc(Math.max(0, ctx.pos - 2000), ctx.pos);
    const { kind, from } = completionKind(before);
    const start = ctx.pos - (before.length - from);
    if (kind === 'word' && start === ctx.pos && !ctx.explicit) return null;
    const s = schema();
    const names = (list: string[] | undefined, type: string, detail: string): Completion[] =>
      (list ?? []).map((n) => ({ label: quoted(n), type, detail }));
    let options: Completion[];
    switch (kind) {
      case 'label':
        options = names(s?.labels, 'class', 'label');
        break;
      case 'relType':
        options = names(s?.relationshipTypes, 'type', 'relationship');
        break;
      case 'property':
        options = names(s?.propertyKeys, 'property', 'property');
        break;
      case 'param':
        options = params().map((p) => ({ label: `$${p}`, type: 'variable', detail: 'parameter' }));
        break;
      default:
        options = [
          ...READ_KEYWORDS.map((k) => ({ label: k, type: 'keyword' })),
          ...FUNCTIONS.map((f) => ({ label: f, type: 'function', apply: `${f}(` })),
        ];
    }
    return { from: start, options, validFor: /^[\w`$]*$/ };
  };
}
