package api

import (
	"encoding/json"
	"testing"

	"github.com/lot-trace/lot-trace/ingest"
)

// TestOpenAPIStatesTheValidationRules checks that the document's patterns and quantity range
// are the ones the decoders enforce, so that a request valid by the document is not refused
// by a rule it does not state (a schema fuzzer found such requests).
func TestOpenAPIStatesTheValidationRules(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Pattern string `json:"pattern"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPIJSON, &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.Components.Schemas
	for name, want := range map[string]string{"Identifier": ingest.IdentifierPattern, "Text": ingest.TextPattern, "Unit": ingest.TextPattern} {
		if s[name].Pattern != want {
			t.Errorf("%s pattern %q, want %q", name, s[name].Pattern, want)
		}
	}
	var q struct {
		Minimum float64 `json:"minimum"`
		Maximum float64 `json:"maximum"`
	}
	var raw struct {
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPIJSON, &raw); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw.Components.Schemas["Quantity"], &q); err != nil || q.Minimum != ingest.MinQuantity || q.Maximum != ingest.MaxQuantity {
		t.Errorf("Quantity from %v to %v (%v), want %v to %v", q.Minimum, q.Maximum, err, ingest.MinQuantity, ingest.MaxQuantity)
	}
}
