package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/audit"
	"github.com/lot-trace/lot-trace/graph/console"
)

// securityConfig is serve's access control, audit trail and Cypher console configuration.
type securityConfig struct {
	keys           *api.Keyring // empty: auth off
	auditFile      string
	auditSinks     auditSinks // where entries go: file, stdout, neo4j (audit_sinks.go)
	auditRotate    audit.Options
	cypherTimeout  time.Duration
	cypherMaxRows  int64
	cypherMaxBytes int64
}

func registerSecurityFlags(fs *flag.FlagSet, getenv func(string) string, c *securityConfig) {
	registerAuditSinksFlag(fs, getenv, &c.auditSinks)
	fs.StringVar(&c.auditFile, "audit-file", envOr(getenv, "LOT_TRACE_AUDIT_FILE", "lot-trace-audit.jsonl"), "the audit trail, a JSON Lines file appended to (env LOT_TRACE_AUDIT_FILE)")
	fs.Int64Var(&c.auditRotate.MaxBytes, "audit-max-bytes", int64Env(getenv, "LOT_TRACE_AUDIT_MAX_BYTES", 0), "rotate the audit file past this size, 0 never (then rotate it outside, and send SIGHUP) (env LOT_TRACE_AUDIT_MAX_BYTES)")
	auditKeep := int64Env(getenv, "LOT_TRACE_AUDIT_KEEP", 5)
	fs.IntVar(&c.auditRotate.Keep, "audit-keep", int(auditKeep), "rotated audit files kept (file.1 newest) and read by GET /api/v1/audit (env LOT_TRACE_AUDIT_KEEP)")
	fs.DurationVar(&c.cypherTimeout, "cypher-timeout", durationEnv(getenv, "LOT_TRACE_CYPHER_TIMEOUT", console.DefaultTimeout), "longest a Cypher console query may run (env LOT_TRACE_CYPHER_TIMEOUT)")
	fs.Int64Var(&c.cypherMaxRows, "cypher-max-rows", int64Env(getenv, "LOT_TRACE_CYPHER_MAX_ROWS", console.DefaultMaxRows), "most rows a Cypher console answer holds (env LOT_TRACE_CYPHER_MAX_ROWS)")
	fs.Int64Var(&c.cypherMaxBytes, "cypher-max-bytes", int64Env(getenv, "LOT_TRACE_CYPHER_MAX_BYTES", console.DefaultMaxBytes), "most bytes of JSON a Cypher console answer holds, estimated (env LOT_TRACE_CYPHER_MAX_BYTES)")
}

// load reads the keys and checks the settings against the listen address: without keys the
// service may only listen on loopback, where only this machine's users reach it.
func (c *securityConfig) load(getenv func(string) string, addr string) error {
	keys, err := loadKeyring(getenv)
	if err != nil {
		return err
	}
	c.keys = keys
	if c.cypherTimeout <= 0 || c.cypherMaxRows <= 0 || c.cypherMaxRows > 1_000_000 {
		return fmt.Errorf("-cypher-timeout must be positive and -cypher-max-rows from 1 to 1000000")
	}
	if c.cypherMaxBytes < 1<<10 || c.cypherMaxBytes > 1<<30 {
		return fmt.Errorf("-cypher-max-bytes (LOT_TRACE_CYPHER_MAX_BYTES) must be from 1024 to 1073741824")
	}
	if c.keys.Len() == 0 && !isLoopback(addr) {
		return fmt.Errorf("LOT_TRACE_ADDR (-addr) %s is not a loopback address, and no API keys are configured: "+
			"set LOT_TRACE_API_KEYS or LOT_TRACE_API_KEYS_FILE (see 'lot-trace key'), or listen on 127.0.0.1", addr)
	}
	return nil
}

// isLoopback reports whether addr listens on loopback only; an empty host (all interfaces),
// a host name other than localhost, or an address that does not parse is not.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// start opens the audit trail (openTrail) and says once, in the log, whether auth is on. The
// file sink, when configured, is returned too, for SIGHUP; otherwise it is nil.
func (c *securityConfig) start(logger *slog.Logger, stdout io.Writer, store audit.RecordStore, timeout time.Duration) (api.AuditTrail, *audit.Log, error) {
	if c.auditRotate.MaxBytes < 0 || c.auditRotate.Keep < 0 || c.auditRotate.MaxBytes > 0 && c.auditRotate.MaxBytes < audit.MaxLine {
		return nil, nil, fmt.Errorf("-audit-max-bytes must be 0 or at least %d, and -audit-keep not negative", audit.MaxLine)
	}
	trail, file, err := c.openTrail(stdout, store, timeout)
	if err != nil {
		return nil, nil, err
	}
	if c.keys.Len() == 0 {
		logger.Warn("auth is off: no API keys configured (LOT_TRACE_API_KEYS, LOT_TRACE_API_KEYS_FILE); serving on loopback only")
	} else {
		logger.Info("auth is on", "keys", c.keys.Len())
	}
	if file != nil {
		logger.Info("audit trail", "sinks", c.auditSinks.String(), "file", c.auditFile, "rotate_at_bytes", c.auditRotate.MaxBytes, "keep", c.auditRotate.Keep)
	} else {
		logger.Info("audit trail", "sinks", c.auditSinks.String())
	}
	return trail, file, nil
}

// apiConfig adds these settings to the API's configuration.
func (c *securityConfig) apiConfig(cfg api.Config, trail api.AuditTrail) api.Config {
	cfg.Keys, cfg.Audit = c.keys, trail
	cfg.CypherTimeout, cfg.CypherMaxRows, cfg.CypherMaxBytes = c.cypherTimeout, int(c.cypherMaxRows), int(c.cypherMaxBytes)
	return cfg
}
