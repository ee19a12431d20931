package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInitialImportRefusesBeforeTouchingAnything: flags that belong to -initial, and a
// database that does not answer, stop the command before any file is written.
func TestInitialImportRefusesBeforeTouchingAnything(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "events.ndjson", `{"type":"receipt"}`+"\n")
	files := filepath.Join(dir, "files")
	env := map[string]string{"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_WAIT": "300ms"}
	for _, tt := range []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"data dir without -initial", []string{"import", "-neo4j-data-dir", dir, good}, "go with -initial"},
		{"import dir without -initial", []string{"import", "-import-dir", files, good}, "go with -initial"},
		{"external database not answering", []string{"import", "-initial", "-import-dir", files, good}, "bolt://127.0.0.1:1 does not answer"},
		{"embedded launcher missing", []string{"import", "-initial", "-neo4j-data-dir", writeStore(t, dir), "-neo4j-launch", filepath.Join(dir, "no-launch"), "-import-dir", files, good},
			"start the embedded Neo4j"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), tt.args, func(k string) string { return env[k] }, &out, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("run(%q) error = %v, want one mentioning %q", tt.args, err, tt.wantErr)
			}
			if _, err := os.Stat(files); err == nil {
				t.Errorf("the importer's files were written: %s", files)
			}
		})
	}
}

// writeStore makes a data folder that holds a database store, so that the command must start
// the embedded Neo4j to see whether it is empty.
func writeStore(t *testing.T, dir string) string {
	t.Helper()
	data := filepath.Join(dir, "neo4j")
	if err := os.MkdirAll(filepath.Join(data, "data", "databases", "neo4j"), 0o755); err != nil {
		t.Fatal(err)
	}
	return data
}
