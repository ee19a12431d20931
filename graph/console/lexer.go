package console

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokenKind is the kind of one Cypher token, as far as the console's checks need to know.
type tokenKind int

const (
	tokEOF    tokenKind = iota
	tokWord             // an unquoted identifier or keyword
	tokQuoted           // a `backtick-quoted` identifier: never a keyword
	tokString           // a string literal, content dropped
	tokNumber           // a number literal
	tokPunct            // one ASCII punctuation character
)

type token struct {
	kind tokenKind
	text string
}

func tokenAt(toks []token, i int) token {
	if i < len(toks) {
		return toks[i]
	}
	return token{kind: tokEOF}
}

func (t token) isPunct(chars ...string) bool {
	if t.kind != tokPunct {
		return false
	}
	for _, c := range chars {
		if t.text == c {
			return true
		}
	}
	return false
}

// variableFollowers are the keywords that can follow a variable and never a command keyword:
// "WITH call AS c", "RETURN load ORDER BY load".
var variableFollowers = map[string]bool{
	"AS": true, "AND": true, "OR": true, "XOR": true, "IS": true, "IN": true, "CONTAINS": true,
	"STARTS": true, "ENDS": true, "ORDER": true, "SKIP": true, "OFFSET": true, "LIMIT": true,
	"UNION": true, "RETURN": true, "WITH": true, "WHERE": true, "THEN": true, "ELSE": true,
	"END": true, "WHEN": true, "ASC": true, "DESC": true, "ASCENDING": true, "DESCENDING": true,
}

// endsVariable reports whether t can only follow a variable (or end the query), so that the
// word before it is a variable and not a command keyword.
func (t token) endsVariable() bool {
	switch t.kind {
	case tokEOF:
		return true
	case tokPunct:
		return strings.Contains(".),}]=<>!+-*/%^;:|[", t.text)
	case tokWord:
		return variableFollowers[strings.ToUpper(t.text)]
	}
	return false
}

// lexCypher splits Cypher into tokens, dropping whitespace, comments and the content of string
// literals, so that a keyword inside a string or comment is never mistaken for one in the
// query, and comments between two keywords ("LOAD/**/CSV") do not hide them. It errs on the
// side of refusing: a character it does not know outside a string is an error, so that a
// character Neo4j reads as whitespace cannot join two words the checks see as one.
func lexCypher(src string) ([]token, error) {
	src, err := decodeEscapes(src)
	if err != nil {
		return nil, err
	}
	var toks []token
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRuneInString(src[i:])
		rest := src[i:]
		switch {
		case isCypherSpace(r):
			i += size
		case strings.HasPrefix(rest, "//"):
			end := strings.IndexAny(rest, "\r\n")
			if end < 0 {
				end = len(rest)
			}
			i += end
		case strings.HasPrefix(rest, "/*"):
			end := strings.Index(rest[2:], "*/")
			if end < 0 {
				return nil, Refusedf("a /* comment */ is not closed")
			}
			i += end + 4
		case r == '\'' || r == '"':
			n, ok := stringLiteralLen(rest, byte(r))
			if !ok {
				return nil, Refusedf("a string literal is not closed")
			}
			toks = append(toks, token{kind: tokString})
			i += n
		case r == '`':
			name, n, ok := quotedIdentifier(rest)
			if !ok {
				return nil, Refusedf("a `quoted` name is not closed")
			}
			toks = append(toks, token{kind: tokQuoted, text: name})
			i += n
		case r == '_' || unicode.IsLetter(r):
			n := identifierLen(rest)
			toks = append(toks, token{kind: tokWord, text: rest[:n]})
			i += n
		case r >= '0' && r <= '9':
			n := identifierLen(rest) // digits, and letters of hex, octal and exponent forms
			toks = append(toks, token{kind: tokNumber, text: rest[:n]})
			i += n
		case r < utf8.RuneSelf && (unicode.IsPunct(r) || unicode.IsSymbol(r)):
			toks = append(toks, token{kind: tokPunct, text: string(r)})
			i += size
		default:
			return nil, Refusedf("unexpected character %U outside a string or comment", r)
		}
	}
	return toks, nil
}

// decodeEscapes returns src with each \uXXXX escape outside string literals replaced by its
// character, as Neo4j 5 reads them ("\u004COAD CSV" is LOAD CSV, "\u0028" an opening
// bracket), so that the tokens are the ones Neo4j sees. An escape may not stand for a
// character that would change where a string, a quoted name or a comment starts or ends (a
// quote, a backtick, a slash, a star, a backslash, a line break): Neo4j's reading of those is
// not something the checks should guess. Any other backslash outside a string literal, and any
// backslash in a comment, is refused for the same reason.
func decodeEscapes(src string) (string, error) {
	if !strings.Contains(src, "\\") {
		return src, nil
	}
	var b strings.Builder
	for i := 0; i < len(src); {
		rest := src[i:]
		switch {
		case rest[0] == '\'' || rest[0] == '"':
			n, ok := stringLiteralLen(rest, rest[0])
			if !ok {
				return "", Refusedf("a string literal is not closed")
			}
			b.WriteString(rest[:n])
			i += n
		case rest[0] == '`':
			_, n, ok := quotedIdentifier(rest)
			if !ok {
				return "", Refusedf("a `quoted` name is not closed")
			}
			b.WriteString(rest[:n])
			i += n
		case strings.HasPrefix(rest, "//"), strings.HasPrefix(rest, "/*"):
			end := strings.IndexAny(rest, "\r\n")
			if rest[1] == '*' {
				end = strings.Index(rest[2:], "*/")
				if end >= 0 {
					end += 4
				}
			}
			if end < 0 {
				end = len(rest)
			}
			if strings.Contains(rest[:end], "\\") {
				return "", Refusedf("a backslash in a comment: Neo4j may read it as an escape")
			}
			b.WriteString(rest[:end])
			i += end
		case rest[0] == '\\':
			r, ok := unicodeEscape(rest)
			if !ok {
				return "", Refusedf("a backslash outside a string literal that is not a \\uXXXX escape")
			}
			if strings.ContainsRune("'\"`\\/*", r) || r == utf8.RuneError || unicode.IsControl(r) {
				return "", Refusedf("the escape %s outside a string literal stands for %U: write the character itself", rest[:6], r)
			}
			b.WriteRune(r)
			i += 6
		default:
			b.WriteByte(rest[0])
			i++
		}
	}
	return b.String(), nil
}

// unicodeEscape decodes the \uXXXX escape at the start of s.
func unicodeEscape(s string) (rune, bool) {
	if len(s) < 6 || s[1] != 'u' {
		return 0, false
	}
	n, err := strconv.ParseUint(s[2:6], 16, 16)
	if err != nil {
		return 0, false
	}
	return rune(n), true
}

// maxNesting bounds how deeply a query nests. Neo4j 5.26 turns a deeply nested expression
// (500 brackets, 800 ANDs in a row, 1,000 chained property reads) into a StackOverflowError
// and leaves the connection unanswered, so the console refuses such a query before sending it.
const maxNesting = 100

// nestingDepth estimates the depth of the tree Neo4j's parser builds for the tokens: each
// open bracket or CASE adds one, and so does each operator in a chain of operators at one
// level ("a AND b AND c" is two deep), until a comma or a clause keyword ends the chain.
// It counts generously, since it only needs to stay well under the depth that breaks Neo4j.
func nestingDepth(toks []token) int {
	chains := []int{0} // the operator chain of each open bracket level
	depth, deepest := 0, 0
	for i, t := range toks {
		top := &chains[len(chains)-1]
		word := ""
		if t.kind == tokWord && !isNameAfterPunct(toks, i) {
			word = strings.ToUpper(t.text)
		}
		switch {
		case t.isPunct("(", "[", "{"), word == "CASE":
			chains = append(chains, 0)
			depth++
		case t.isPunct(")", "]", "}"), word == "END":
			if len(chains) > 1 {
				depth -= 1 + *top
				chains = chains[:len(chains)-1]
			}
		case t.isPunct(","), chainBreakers[word]:
			depth -= *top
			*top = 0
		case t.kind == tokPunct, chainOperators[word]:
			*top++
			depth++
		}
		deepest = max(deepest, depth)
	}
	return deepest
}

// isNameAfterPunct reports a word that is a property key, label, relationship type or
// parameter name (after ".", ":" or "$"), never a keyword.
func isNameAfterPunct(toks []token, i int) bool {
	return i > 0 && toks[i-1].isPunct(".", ":", "$")
}

// chainOperators are the keywords that join or prefix expressions.
var chainOperators = map[string]bool{
	"AND": true, "OR": true, "XOR": true, "NOT": true, "IN": true, "IS": true, "CONTAINS": true,
	"STARTS": true, "ENDS": true,
}

// chainBreakers are the keywords that end an expression.
var chainBreakers = map[string]bool{
	"MATCH": true, "OPTIONAL": true, "WHERE": true, "WITH": true, "RETURN": true, "UNWIND": true,
	"AS": true, "ORDER": true, "SKIP": true, "OFFSET": true, "LIMIT": true, "UNION": true, "CALL": true,
	"YIELD": true, "WHEN": true, "THEN": true, "ELSE": true,
}

// Neo4j 5.26 takes time to plan that grows faster than the number of clauses: 30 UNIONs take
// seconds, 100 WITH clauses two, and 300 do not finish in eight; planning is not stopped by
// the transaction's timeout. The console bounds both, far above what an analyst writes.
const (
	maxClauses = 100
	maxUnions  = 25
)

// clauseKeywords start a clause.
var clauseKeywords = map[string]bool{
	"MATCH": true, "WITH": true, "RETURN": true, "UNWIND": true, "CALL": true, "UNION": true,
	"WHERE": true, "ORDER": true, "SKIP": true, "OFFSET": true, "LIMIT": true, "YIELD": true, "FINISH": true, // OFFSET is SKIP
}

// countClauses counts the clause keywords and the UNIONs among the tokens.
func countClauses(toks []token) (clauses, unions int) {
	for i, t := range toks {
		if t.kind != tokWord || isNameAfterPunct(toks, i) {
			continue
		}
		word := strings.ToUpper(t.text)
		if clauseKeywords[word] {
			clauses++
		}
		if word == "UNION" {
			unions++
		}
	}
	return clauses, unions
}

// isCypherSpace reports the characters Cypher's grammar treats as whitespace, which include
// the ASCII separators U+001C to U+001F and Unicode's spaces.
func isCypherSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f) || r == 0x180e || unicode.Is(unicode.Zs, r)
}

func identifierLen(s string) int {
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) &&
			!unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nl, unicode.Pc) {
			break
		}
		n += size
	}
	return n
}

// stringLiteralLen returns the length of the string literal at the start of s, quote to
// quote, with backslash escapes.
func stringLiteralLen(s string, quote byte) (int, bool) {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case quote:
			return i + 1, true
		}
	}
	return 0, false
}

// quotedIdentifier reads a `backtick` identifier at the start of s; a doubled backtick
// stands for one.
func quotedIdentifier(s string) (name string, n int, ok bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != '`' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '`' {
			b.WriteByte('`')
			i++
			continue
		}
		return b.String(), i + 1, true
	}
	return "", 0, false
}

// String shows a token in test failures.
func (t token) String() string { return fmt.Sprintf("%d:%q", t.kind, t.text) }
