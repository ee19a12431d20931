package ingest

import "encoding/json"

// eventType is the "type" of an event document as DecodeEvent reads it: what
// json.Unmarshal into struct{ Type string `json:"type"` } gives, and its error as malformed.
// Unmarshal checks the whole document, then decodes it again with reflection to find one
// key: a tenth of an initial import's validation CPU. A valid object whose top-level keys and
// "type" values are plain ASCII (the history a plant loads) is read here with json.Valid and
// one walk over its top level; anything else is left to Unmarshal.
func eventType(data []byte) (string, error) {
	if t, ok := plainEventType(data); ok {
		return t, nil
	}
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return "", malformed(err)
	}
	return head.Type, nil
}

// plainEventType reads the top-level "type" of a valid JSON object, as encoding/json matches
// it (any ASCII case; the last one given wins), when every top-level key is plain ASCII and
// every "type" value a plain ASCII string: no escape, no other character encoding/json might
// fold or replace. ok is false for anything else.
func plainEventType(data []byte) (typ string, ok bool) {
	if !json.Valid(data) {
		return "", false
	}
	i := skipSpace(data, 0)
	if data[i] != '{' {
		return "", false
	}
	i = skipSpace(data, i+1)
	if data[i] == '}' {
		return "", true
	}
	for {
		end := plainStringEnd(data, i) // data[i] is a key's opening quote
		if end < 0 {
			return "", false
		}
		key := data[i+1 : end-1]
		i = skipSpace(data, end)
		i = skipSpace(data, i+1) // the colon
		if isTypeKey(key) {
			if data[i] != '"' {
				return "", false // null, a number...: Unmarshal says what it makes of them
			}
			vend := plainStringEnd(data, i)
			if vend < 0 {
				return "", false
			}
			typ = string(data[i+1 : vend-1])
			i = vend
		} else {
			i = skipValue(data, i)
		}
		i = skipSpace(data, i)
		if data[i] == '}' {
			return typ, true
		}
		i = skipSpace(data, i+1) // the comma
	}
}

// isTypeKey reports whether a plain ASCII key is "type" in any case.
func isTypeKey(key []byte) bool {
	if len(key) != 4 {
		return false
	}
	for i, c := range []byte("type") {
		if key[i]|0x20 != c {
			return false
		}
	}
	return true
}

// plainStringEnd is the index after the string opening at data[i] when it holds only
// printable ASCII and no escape; -1 otherwise.
func plainStringEnd(data []byte, i int) int {
	for j := i + 1; j < len(data); j++ {
		switch c := data[j]; {
		case c == '"':
			return j + 1
		case c == '\\' || c < 0x20 || c > 0x7e:
			return -1
		}
	}
	return -1
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// skipValue is the index after the value starting at data[i], in valid JSON.
func skipValue(data []byte, i int) int {
	depth := 0
	for ; i < len(data); i++ {
		switch data[i] {
		case '"':
			for i++; data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
			if depth == 0 {
				return i + 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i // the end of the enclosing object
			}
			depth--
			if depth == 0 {
				return i + 1
			}
		case ',':
			if depth == 0 {
				return i
			}
		case ' ', '\t', '\n', '\r':
			if depth == 0 {
				return i
			}
		}
	}
	return i
}
