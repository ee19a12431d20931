package graph

import (
	"fmt"
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
				return nil, refused("a /* comment */ is not closed")
			}
			i += end + 4
		case r == '\'' || r == '"':
			n, ok := stringLiteralLen(rest, byte(r))
			if !ok {
				return nil, refused("a string literal is not closed")
			}
			toks = append(toks, token{kind: tokString})
			i += n
		case r == '`':
			name, n, ok := quotedIdentifier(rest)
			if !ok {
				return nil, refused("a `quoted` name is not closed")
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
			return nil, refused("unexpected character %U outside a string or comment", r)
		}
	}
	return toks, nil
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
