package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/ingest"
)

// writeFile creates a file in dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestImportRefusesBadArgumentsBeforeTheDatabase runs the command against a port where no
// database listens: every one of these mistakes must be named before it tries to connect.
func TestImportRefusesBadArgumentsBeforeTheDatabase(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "events.ndjson", "")
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no file", []string{"import"}, "no FILE given"},
		{"unknown flag", []string{"import", "-colour", good}, "colour"},
		{"bad format", []string{"import", "-format", "xml", good}, "-format must be ndjson or csv"},
		{"bad type", []string{"import", "-type", "batch", good}, "-type must be receipt, production or shipment"},
		{"zero batch size", []string{"import", "-batch-size", "0", good}, "-batch-size must be positive"},
		{"bad batch size", []string{"import", "-batch-size", "many", good}, "batch-size"},
		{"missing file", []string{"import", good, filepath.Join(dir, "nope.csv")}, "input file " + filepath.Join(dir, "nope.csv") + " does not exist"},
		{"a directory", []string{"import", dir}, "cannot tell the format"},
		{"a directory with a format", []string{"import", "-format", "csv", dir}, "is a directory"},
		{"unknown extension", []string{"import", filepath.Join(dir, "events.xlsx")}, "cannot tell the format of " + filepath.Join(dir, "events.xlsx")},
		{"stdin twice", []string{"import", "-", "-"}, "only once"},
		{"rejects over an input", []string{"import", "-rejects", good, good}, "would overwrite the input " + good},
	}
	env := map[string]string{"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_WAIT": "1ms"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(context.Background(), tt.args, func(k string) string { return env[k] }, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("run(%q) error = %v, want one mentioning %q", tt.args, err, tt.wantErr)
			}
		})
	}
}

func TestImportWithoutDatabaseFailsClearly(t *testing.T) {
	file := writeFile(t, t.TempDir(), "events.csv", "type\n")
	env := map[string]string{"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_WAIT": "300ms"}
	err := run(context.Background(), []string{"import", file}, func(k string) string { return env[k] }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "bolt://127.0.0.1:1 is not ready") {
		t.Fatalf("error = %v, want one saying the database is not ready", err)
	}
}

// recorderFunc lets a test decide each event's outcome; it stands in for the store only to
// test the command's own work (rejects files, summaries), never the store's rules.
type recorderFunc func(graph.Event) graph.Outcome

func (f recorderFunc) RecordEvents(_ context.Context, events []graph.Event) ([]graph.Outcome, error) {
	out := make([]graph.Outcome, len(events))
	for i, ev := range events {
		out[i] = f(ev)
	}
	return out, nil
}

func TestImportWritesRejectsAndRemovesEmptyOnes(t *testing.T) {
	dir := t.TempDir()
	header := "type,event_id,date,location,role,lot_code,product,quantity,unit\n"
	csvFile := writeFile(t, dir, "events.csv", header+
		"production,B1,2026-10-04T12:00:00Z,BAKERY-1,input,FLOUR-A,,100,kg\n"+
		"production,B1,2026-10-04T12:00:00Z,BAKERY-1,output,FG-1,COOKIE,lots,case\n"+
		"production,B2,2026-10-04T12:00:00Z,BAKERY-1,input,FLOUR-A,,100,kg\n"+
		"production,B2,2026-10-04T12:00:00Z,BAKERY-1,output,FG-2,COOKIE,10,case\n")
	cleanFile := writeFile(t, dir, "clean.csv", header+
		"production,B3,2026-10-04T12:00:00Z,BAKERY-1,input,FLOUR-A,,100,kg\n"+
		"production,B3,2026-10-04T12:00:00Z,BAKERY-1,output,FG-3,COOKIE,10,case\n")
	stale := writeFile(t, dir, "clean.csv.rejects.ndjson", `{"line": 99}`+"\n")

	// The store refuses B2's input, as it would an unknown lot.
	store := recorderFunc(func(ev graph.Event) graph.Outcome {
		if p := ev.(*graph.Production); p.Batch.ID == "B2" {
			return graph.Outcome{Err: graph.Invalid("the production names lots it cannot use", graph.FieldError{Field: "inputs[0].lot", Message: "unknown lot FLOUR-A"})}
		}
		return graph.Outcome{Created: true}
	})
	cfg, err := parseImportConfig([]string{csvFile, cleanFile}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	im := &importer{cfg: cfg, recorder: store, stdout: &stdout, stderr: &stderr}
	if err := im.run(context.Background()); err != nil {
		t.Fatalf("rejected lines alone made the import fail: %v", err)
	}

	raw, err := os.ReadFile(csvFile + ".rejects.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	var rejects []ingest.RejectJSON
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		var r ingest.RejectJSON
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("rejects line %q: %v", line, err)
		}
		rejects = append(rejects, r)
	}
	if len(rejects) != 2 {
		t.Fatalf("rejects = %+v, want B1 and B2", rejects)
	}
	if r := rejects[0]; r.File != csvFile || r.Line != 2 || r.Status != 422 || r.Code != graph.EINVALID || r.Errors[0].Field != "line 3, column quantity" {
		t.Errorf("first reject = %+v, want B1 on line 2, status 422, naming line 3, column quantity", r)
	}
	if r := rejects[1]; r.Line != 4 || r.Errors[0].Field != "column lot_code of the event's input row 1" {
		t.Errorf("second reject = %+v, want B2 on line 4 with its field in CSV terms", r)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale rejects file of a clean input is still there (err %v)", err)
	}
	for _, want := range []string{csvFile + ": 0 accepted, 0 unchanged, 2 rejected", "; rejected lines are in " + csvFile + ".rejects.ndjson",
		cleanFile + ": 1 accepted, 0 unchanged, 0 rejected", "total: 1 accepted"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout %q does not contain %q", stdout.String(), want)
		}
	}
	if !strings.Contains(stderr.String(), "2 of 3 events were rejected") {
		t.Errorf("stderr %q does not point at the rejects", stderr.String())
	}
}

func TestImportGoesOnAfterAnUnreadableInput(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.csv", "type,qty\n")
	untyped := writeFile(t, dir, "receipts.csv", "lot_code,quantity,unit,date,location\n")
	good := writeFile(t, dir, "good.ndjson", `{"type":"receipt","lot":{"code":"A","product":"P","quantity":1,"unit":"kg"},"supplier":{"id":"S","location":"L"},"received_at":"2026-10-01T07:00:00Z","location":"B","reference":{"type":"PO","number":"1"}}`+"\n")
	cfg, err := parseImportConfig([]string{bad, untyped, good}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	im := &importer{cfg: cfg, recorder: recorderFunc(func(graph.Event) graph.Outcome { return graph.Outcome{} }), stdout: &stdout, stderr: &stderr}
	err = im.run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "2 of 3 inputs could not be loaded: "+bad+", "+untyped) {
		t.Fatalf("error = %v, want one naming %s", err, bad)
	}
	if !strings.Contains(stderr.String(), `line 1: missing column(s) type (for a file of one event type, give -type`) {
		t.Errorf("stderr %q does not point a file without a type column at -type", stderr.String())
	}
	if !strings.Contains(stderr.String(), `line 1: unknown column "qty"`) {
		t.Errorf("stderr %q does not explain the bad header", stderr.String())
	}
	if !strings.Contains(stdout.String(), good+": 0 accepted, 1 unchanged, 0 rejected") || !strings.Contains(stdout.String(), "everything was already stored") {
		t.Errorf("stdout %q does not report the second file as unchanged", stdout.String())
	}
}
