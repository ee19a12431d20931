package audit

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The caps on an entry. An entry is read back by GET /api/v1/audit, so a caller must not be
// able to make it large: a 16 MB Cypher comment once made reading one entry take seconds.
const (
	MaxLine       = 128 << 10 // the longest line written (and read back; longer lines are skipped)
	MaxCypher     = 64 << 10  // the Cypher text
	MaxField      = 2 << 10   // any other text field
	MaxParams     = 16 << 10  // the parameters, counted as their text and 8 bytes a scalar
	MaxParamDepth = 8         // parameters nested deeper are replaced by a note
	MaxIDs        = 100       // ids of one write
)

// Encode returns the entry as one JSON line (without its newline), with every value made
// encodable and every field within its cap: invalid UTF-8 becomes U+FFFD, NaN and infinities
// become the strings "NaN", "+Inf" and "-Inf", values of other types become their text, and
// each field cut short is named in Cut with its original size.
func Encode(e Entry) ([]byte, error) {
	var cut []string
	text := func(name string, s *string, limit int) {
		if v, n, ok := clip(*s, limit); !ok {
			*s = v
			cut = append(cut, fmt.Sprintf("%s: %d bytes, first %d kept", name, n, len(v)))
		} else {
			*s = v
		}
	}
	text("key", &e.Key, MaxField)
	text("role", &e.Role, MaxField)
	text("method", &e.Method, MaxField)
	text("route", &e.Route, MaxField)
	text("path", &e.Path, MaxField)
	text("url_query", &e.URLQuery, MaxField)
	text("lot", &e.Lot, MaxField)
	text("event", &e.Event, MaxField)
	text("cypher", &e.Cypher, MaxCypher)
	if len(e.IDs) > 0 {
		ids := make([]string, 0, min(len(e.IDs), MaxIDs))
		for i, id := range e.IDs {
			if i == MaxIDs {
				cut = append(cut, fmt.Sprintf("ids: %d, first %d kept", len(e.IDs), MaxIDs))
				break
			}
			text("ids["+strconv.Itoa(i)+"]", &id, MaxField)
			ids = append(ids, id)
		}
		e.IDs = ids
	}
	if e.Params != nil {
		budget := MaxParams
		e.Params = safeValue(e.Params, 0, &budget).(map[string]any)
		if budget < 0 {
			cut = append(cut, fmt.Sprintf("params: over %d bytes or %d levels deep, the rest replaced by \"…\"", MaxParams, MaxParamDepth))
		}
	}
	if math.IsNaN(e.DurationMS) || math.IsInf(e.DurationMS, 0) {
		e.DurationMS = 0
	}
	e.Cut = append(e.Cut, cut...)
	line, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	// Escaping can grow text up to six times (a control character is \u0001): cut further.
	for len(line) > MaxLine {
		switch {
		case e.Params != nil:
			e.Params = nil
			e.Cut = append(e.Cut, "params: dropped to fit the line")
		case len(e.Cypher) > MaxField:
			e.Cypher, _, _ = clip(e.Cypher, len(e.Cypher)/2)
			e.Cut = append(e.Cut, fmt.Sprintf("cypher: shortened to %d bytes to fit the line", len(e.Cypher)))
		case e.Cypher != "" || e.IDs != nil || e.Path != "" || e.URLQuery != "" || e.Lot != "":
			e.Cypher, e.IDs, e.Path, e.URLQuery, e.Lot = "", nil, "", "", ""
			e.Cut = append(e.Cut, "cypher, ids, path, url_query, lot: dropped to fit the line")
		default:
			return nil, fmt.Errorf("an entry of %d bytes does not fit the %d-byte line", len(line), MaxLine)
		}
		if line, err = json.Marshal(e); err != nil {
			return nil, err
		}
	}
	return line, nil
}

// clip returns s as valid UTF-8 cut to at most limit bytes on a rune boundary, s's size, and
// whether it was kept whole.
func clip(s string, limit int) (string, int, bool) {
	n := len(s)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if len(s) <= limit {
		return s, n, true
	}
	s = s[:limit]
	for len(s) > 0 && !utf8.ValidString(s[len(s)-min(len(s), utf8.UTFMax):]) {
		s = s[:len(s)-1]
	}
	return s, n, false
}

// elided replaces a parameter value past the caps.
const elided = "…"

// safeValue returns v in a form json.Marshal always accepts, spending budget; once budget is
// spent (it goes negative), values are replaced by elided.
func safeValue(v any, depth int, budget *int) any {
	if *budget < 0 {
		return elided
	}
	if depth > MaxParamDepth {
		*budget = -1
		return elided
	}
	*budget -= 8
	switch x := v.(type) {
	case nil, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return x
	case float64:
		return safeFloat(x)
	case float32:
		return safeFloat(float64(x))
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return safeFloat(f)
		}
		return safeString(string(x), budget)
	case string:
		return safeString(x, budget)
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			if *budget < 0 {
				out = append(out, elided)
				break
			}
			out = append(out, safeValue(e, depth+1, budget))
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if *budget < 0 {
				out[elided] = elided
				break
			}
			out[safeString(k, budget)] = safeValue(e, depth+1, budget)
		}
		return out
	default:
		return safeString(fmt.Sprintf("%v", x), budget)
	}
}

func safeFloat(f float64) any {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	return f
}

func safeString(s string, budget *int) string {
	limit := max(min(MaxField, *budget), 0)
	v, _, whole := clip(s, limit)
	*budget -= len(v)
	if !whole {
		*budget = -1
		return v + elided
	}
	return v
}
