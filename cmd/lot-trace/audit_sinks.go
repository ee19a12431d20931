package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/audit"
)

// The audit trail's sinks (LOT_TRACE_AUDIT_SINKS). One service next to one Neo4j keeps the file
// it always had (the default, so that an existing deployment changes nothing). Replicas behind a
// load balancer use neo4j, which every replica reads back, and stdout for the platform's log
// pipeline; a file per container would split the trail and die with the container.
const (
	sinkFile   = "file"
	sinkStdout = "stdout"
	sinkNeo4j  = "neo4j"
)

// auditSinks is the list of sinks, in the order entries are written.
type auditSinks []string

func (s auditSinks) String() string { return strings.Join(s, ",") }

// Set parses a comma-separated list of sinks (flag.Value).
func (s *auditSinks) Set(v string) error {
	var out auditSinks
	for _, name := range strings.Split(v, ",") {
		name = strings.TrimSpace(name)
		switch {
		case name != sinkFile && name != sinkStdout && name != sinkNeo4j:
			return fmt.Errorf("audit sink %q is not file, stdout or neo4j", name)
		case slices.Contains(out, name):
			return fmt.Errorf("audit sink %q is listed twice", name)
		}
		out = append(out, name)
	}
	*s = out
	return nil
}

func registerAuditSinksFlag(fs *flag.FlagSet, getenv func(string) string, sinks *auditSinks) {
	*sinks = auditSinks{sinkFile}
	fs.Var(sinks, "audit-sinks", "where audit entries go, comma-separated: file (LOT_TRACE_AUDIT_FILE), stdout (JSON lines), neo4j (read by every replica) (env LOT_TRACE_AUDIT_SINKS, default file)")
}

// checkAuditSinksEnv parses LOT_TRACE_AUDIT_SINKS into sinks, naming the variable on error; a
// flag given after it wins.
func checkAuditSinksEnv(getenv func(string) string, sinks *auditSinks) error {
	if v := getenv("LOT_TRACE_AUDIT_SINKS"); v != "" {
		if err := sinks.Set(v); err != nil {
			return fmt.Errorf("LOT_TRACE_AUDIT_SINKS: %w", err)
		}
	}
	return nil
}

// openTrail opens the configured sinks. Every entry goes to each of them (a call whose entry
// one of them refuses is refused); GET /api/v1/audit reads from neo4j when it is a sink, else
// from the file. file is the file sink, for SIGHUP, or nil.
func (c *securityConfig) openTrail(stdout io.Writer, store audit.RecordStore, timeout time.Duration) (trail api.AuditTrail, file *audit.Log, err error) {
	var sinks []audit.Appender
	var reader audit.Reader
	for _, name := range c.auditSinks {
		switch name {
		case sinkFile:
			if file, err = audit.OpenWith(c.auditFile, c.auditRotate); err != nil {
				return nil, nil, fmt.Errorf("LOT_TRACE_AUDIT_FILE (-audit-file): %w", err)
			}
			sinks = append(sinks, file)
			if reader == nil {
				reader = file
			}
		case sinkStdout:
			sinks = append(sinks, audit.NewStream(stdout))
		case sinkNeo4j:
			shared := audit.NewShared(store, timeout)
			sinks, reader = append(sinks, shared), shared
		}
	}
	if len(sinks) == 1 && file != nil {
		return file, file, nil // as before: the file alone
	}
	return audit.NewTee(reader, sinks...), file, nil
}
