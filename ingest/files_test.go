package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/lot-trace/lot-trace/graph"
)

func TestDetectFormat(t *testing.T) {
	tests := []struct {
		path           string
		override, want Format
	}{
		{"events.ndjson", "", FormatNDJSON},
		{"events.jsonl", "", FormatNDJSON},
		{"EXPORT.CSV", "", FormatCSV},
		{"dir.v2/events.csv", "", FormatCSV},
		{"-", "", FormatNDJSON},
		{"-", "csv", FormatCSV},
		{"events.txt", "csv", FormatCSV},
		{"events.csv", "ndjson", FormatNDJSON},
		{"events.txt", "", ""},
		{"events", "", ""},
	}
	for _, tt := range tests {
		got, err := detectFormat(tt.path, tt.override)
		if got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("detectFormat(%q, %q) = %q, %v; want %q", tt.path, tt.override, got, err, tt.want)
		}
	}
}

// TestFileImportGoesOnAndWritesOneRejectsFile loads a bad CSV header, a line the store refuses
// and a good line into one shared rejects file: the bad input is skipped, the others load, and
// the rejects file carries the status the hook gives.
func TestFileImportGoesOnAndWritesOneRejectsFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	bad := write("bad.csv", "type,qty\n")
	events := write("events.ndjson",
		`{"type":"production","batch":{"id":"B1"},"produced_at":"2026-10-04T12:00:00Z","location":"L","inputs":[{"lot":"NOPE","quantity":1,"unit":"kg"}],"outputs":[{"code":"FG","product":"P","quantity":1,"unit":"case"}]}`+"\n"+
			`{"type":"receipt","lot":{"code":"A","product":"P","quantity":1,"unit":"kg"},"supplier":{"id":"S","location":"L"},"received_at":"2026-10-01T07:00:00Z","location":"B","reference":{"type":"PO","number":"1"}}`+"\n")
	shared := filepath.Join(dir, "all.rejects.ndjson")
	inputs, err := PlanInputs([]string{bad, events}, "", "", shared)
	if err != nil {
		t.Fatal(err)
	}
	var wrapped, filed []string
	fi := &FileImport{
		Loader:   Loader{Recorder: refuseProductions{}, BatchSize: 10},
		Rejects:  shared,
		StatusOf: func(code string) int { return len(code) },
		Wrap: func(in Input, r io.Reader, size int64) io.Reader {
			wrapped = append(wrapped, in.Path)
			return r
		},
		OnFile: func(in Input, res FileResult, err error) { filed = append(filed, in.Path) },
	}
	total, failed, err := fi.Run(context.Background(), inputs)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(failed) != 1 || failed[0].Path != bad {
		t.Errorf("failed = %+v, want only %s", failed, bad)
	}
	if total.Accepted != 1 || total.Rejected != 1 {
		t.Errorf("total = %+v, want 1 accepted and 1 rejected", total)
	}
	if len(wrapped) != 2 || len(filed) != 2 {
		t.Errorf("Wrap saw %v and OnFile %v, want both inputs each", wrapped, filed)
	}
	raw, err := os.ReadFile(shared)
	if err != nil {
		t.Fatal(err)
	}
	var rej RejectJSON
	if err := json.Unmarshal(bytes.TrimSpace(raw), &rej); err != nil {
		t.Fatalf("rejects file %q: %v", raw, err)
	}
	if rej.File != events || rej.Line != 1 || rej.Status != len(rej.Code) || rej.Code == "" {
		t.Errorf("reject = %+v, want line 1 of %s with the hook's status", rej, events)
	}
}

// refuseProductions stores receipts and shipments and refuses productions, as the store
// refuses one naming an unknown lot.
type refuseProductions struct{}

func (refuseProductions) RecordEvents(_ context.Context, events []graph.Event) ([]graph.Outcome, error) {
	out := make([]graph.Outcome, len(events))
	for i, ev := range events {
		if _, ok := ev.(*graph.Production); ok {
			out[i].Err = graph.Invalid("unknown lot", graph.FieldError{Field: "inputs[0].lot", Message: "unknown lot NOPE"})
		} else {
			out[i].Created = true
		}
	}
	return out, nil
}
