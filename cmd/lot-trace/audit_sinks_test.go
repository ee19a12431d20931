package main

import (
	"bytes"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/audit"
)

func TestAuditSinksSetting(t *testing.T) {
	parse := func(env map[string]string, args ...string) (serveConfig, error) {
		return parseServeConfig(args, func(k string) string { return env[k] }, io.Discard)
	}
	c, err := parse(nil)
	if err != nil || !slices.Equal(c.security.auditSinks, auditSinks{sinkFile}) {
		t.Errorf("the default sinks are %v (%v), want file alone, as before", c.security.auditSinks, err)
	}
	c, err = parse(map[string]string{"LOT_TRACE_AUDIT_SINKS": " neo4j, stdout "})
	if err != nil || !slices.Equal(c.security.auditSinks, auditSinks{sinkNeo4j, sinkStdout}) {
		t.Errorf("LOT_TRACE_AUDIT_SINKS=neo4j,stdout gave %v (%v)", c.security.auditSinks, err)
	}
	c, err = parse(map[string]string{"LOT_TRACE_AUDIT_SINKS": "neo4j"}, "-audit-sinks", "file,stdout")
	if err != nil || !slices.Equal(c.security.auditSinks, auditSinks{sinkFile, sinkStdout}) {
		t.Errorf("the flag after the variable gave %v (%v), want the flag's", c.security.auditSinks, err)
	}
	for _, bad := range []string{"syslog", "file,file", "", "neo4j,"} {
		if _, err := parse(map[string]string{"LOT_TRACE_AUDIT_SINKS": bad}); bad != "" && (err == nil || !strings.Contains(err.Error(), "LOT_TRACE_AUDIT_SINKS")) {
			t.Errorf("LOT_TRACE_AUDIT_SINKS=%q: %v, want an error naming the variable", bad, err)
		}
	}
}

// TestOpenTrailWritesEverySink: with file and stdout, an entry reaches both and is read back
// from the file; stdout alone cannot be read back.
func TestOpenTrailWritesEverySink(t *testing.T) {
	var stdout bytes.Buffer
	c := securityConfig{auditSinks: auditSinks{sinkFile, sinkStdout}, auditFile: filepath.Join(t.TempDir(), "audit.jsonl")}
	trail, file, err := c.openTrail(&stdout, nil, time.Second)
	if err != nil || file == nil {
		t.Fatalf("openTrail: %v, file %v", err, file)
	}
	defer file.Close()
	e := audit.Entry{ID: "c1", Phase: audit.PhaseEnd, At: time.Now().UTC(), Key: "k", Route: "/api/v1/lots", Status: 200}
	if err := trail.Append(e); err != nil {
		t.Fatal(err)
	}
	got, err := trail.Recent(time.Time{}, 10)
	if err != nil || len(got) != 1 || got[0].ID != "c1" || !strings.Contains(stdout.String(), `"id":"c1"`) {
		t.Errorf("read back %+v (%v), stdout %q: want the entry in both", got, err, stdout.String())
	}
	c.auditSinks = auditSinks{sinkStdout}
	trail, file, err = c.openTrail(&stdout, nil, time.Second)
	if err != nil || file != nil {
		t.Fatalf("stdout alone: %v, file %v", err, file)
	}
	if _, err := trail.Recent(time.Time{}, 10); err != audit.ErrNotReadable {
		t.Errorf("reading a stdout-only trail: %v, want ErrNotReadable", err)
	}
}
