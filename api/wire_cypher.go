package api

import (
	"fmt"
	"math"
	"time"

	"github.com/lot-trace/lot-trace/graph/console"
)

// The wire shapes of console answers, converted explicitly from console.Result.

type queryResultJSON struct {
	Columns   []string `json:"columns"`
	Rows      [][]any  `json:"rows"`
	Truncated bool     `json:"truncated"`
	CutBy     string   `json:"cut_by,omitempty"` // "max_rows" or "max_bytes", when truncated
	TookMS    float64  `json:"took_ms"`
}

type resultNodeJSON struct {
	ID         string         `json:"id"`
	Labels     []string       `json:"labels"`
	Properties map[string]any `json:"properties"`
}

type resultRelationshipJSON struct {
	ID         string         `json:"id"`
	Type       string         `json:"type"`
	Start      string         `json:"start"`
	End        string         `json:"end"`
	Properties map[string]any `json:"properties"`
}

type resultPathJSON struct {
	Nodes         []resultNodeJSON         `json:"nodes"`
	Relationships []resultRelationshipJSON `json:"relationships"`
}

type pointJSON struct {
	SRID uint32   `json:"srid"`
	X    float64  `json:"x"`
	Y    float64  `json:"y"`
	Z    *float64 `json:"z,omitempty"`
}

func queryResultToJSON(r *console.Result, took time.Duration) queryResultJSON {
	out := queryResultJSON{Columns: r.Columns, Rows: make([][]any, len(r.Rows)), Truncated: r.Truncated, CutBy: r.CutBy, TookMS: millis(took)}
	if out.Columns == nil {
		out.Columns = []string{}
	}
	for i, row := range r.Rows {
		out.Rows[i] = make([]any, len(row))
		for j, v := range row {
			out.Rows[i][j] = valueToJSON(v)
		}
	}
	return out
}

// valueToJSON converts one result value. Temporal values are ISO 8601 strings; NaN and the
// infinities, which JSON cannot carry as numbers, are the strings Cypher prints for them.
func valueToJSON(v console.Value) any {
	switch x := v.(type) {
	case console.Node:
		return nodeToJSON(x)
	case console.Relationship:
		return relationshipToJSON(x)
	case console.Path:
		p := resultPathJSON{Nodes: make([]resultNodeJSON, len(x.Nodes)), Relationships: make([]resultRelationshipJSON, len(x.Relationships))}
		for i, n := range x.Nodes {
			p.Nodes[i] = nodeToJSON(n)
		}
		for i, r := range x.Relationships {
			p.Relationships[i] = relationshipToJSON(r)
		}
		return p
	case console.Temporal:
		return string(x)
	case console.Point:
		return pointJSON{SRID: x.SRID, X: x.X, Y: x.Y, Z: x.Z}
	case float64:
		switch {
		case math.IsNaN(x):
			return "NaN"
		case math.IsInf(x, 1):
			return "Infinity"
		case math.IsInf(x, -1):
			return "-Infinity"
		}
		return x
	case []console.Value:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = valueToJSON(e)
		}
		return out
	case console.Map:
		return valuesToJSON(x)
	case nil, bool, int64, string, []byte:
		return x // []byte goes out as base64, as encoding/json writes it
	default:
		return fmt.Sprint(x)
	}
}

func nodeToJSON(n console.Node) resultNodeJSON {
	labels := n.Labels
	if labels == nil {
		labels = []string{}
	}
	return resultNodeJSON{ID: n.ID, Labels: labels, Properties: valuesToJSON(n.Properties)}
}

func relationshipToJSON(r console.Relationship) resultRelationshipJSON {
	return resultRelationshipJSON{ID: r.ID, Type: r.Type, Start: r.Start, End: r.End, Properties: valuesToJSON(r.Properties)}
}

func valuesToJSON(m console.Map) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = valueToJSON(v)
	}
	return out
}
