package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/lot-trace/lot-trace/graph/neo4j"
)

// dbConfig is the database part of every command's configuration.
type dbConfig struct {
	uri, user, password, database string
	// The analysts' console's own database user (Enterprise: scripts/neo4j/console-user.cypher);
	// empty: the console runs as user.
	consoleUser, consolePassword string
	retryTime                    time.Duration
	waitTimeout                  time.Duration
}

// registerDBFlags declares the database flags; each defaults to its environment variable.
func registerDBFlags(fs *flag.FlagSet, getenv func(string) string, c *dbConfig) {
	fs.StringVar(&c.uri, "neo4j-uri", envOr(getenv, "NEO4J_URI", "bolt://127.0.0.1:7687"), "Neo4j URI (env NEO4J_URI)")
	fs.StringVar(&c.user, "neo4j-user", envOr(getenv, "NEO4J_USER", "neo4j"), "Neo4j user (env NEO4J_USER)")
	// The password has no flag on purpose: flags show up in process listings.
	c.password = envOr(getenv, "NEO4J_PASSWORD", "")
	fs.StringVar(&c.consoleUser, "neo4j-console-user", envOr(getenv, "NEO4J_CONSOLE_USER", ""), "database user the Cypher console runs as, empty for -neo4j-user (env NEO4J_CONSOLE_USER)")
	c.consolePassword = envOr(getenv, "NEO4J_CONSOLE_PASSWORD", "")
	fs.StringVar(&c.database, "neo4j-database", envOr(getenv, "NEO4J_DATABASE", ""), "Neo4j database, empty for the server's default (env NEO4J_DATABASE)")
	fs.DurationVar(&c.retryTime, "neo4j-retry", durationEnv(getenv, "NEO4J_RETRY", 5*time.Second), "longest a request waits for the database (env NEO4J_RETRY)")
	fs.DurationVar(&c.waitTimeout, "neo4j-wait", durationEnv(getenv, "NEO4J_WAIT", 2*time.Minute), "how long to wait for the database at start (env NEO4J_WAIT)")
}

func (c dbConfig) storeConfig() neo4j.Config {
	return neo4j.Config{URI: c.uri, User: c.user, Password: c.password, Database: c.database, RetryTime: c.retryTime,
		ConsoleUser: c.consoleUser, ConsolePassword: c.consolePassword}
}

func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

// durationEnv and int64Env read a typed default from the environment; checkEnv reports a
// value that does not parse before any of these defaults is used.
func durationEnv(getenv func(string) string, name string, def time.Duration) time.Duration {
	if v := getenv(name); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return def
}

func int64Env(getenv func(string) string, name string, def int64) int64 {
	if v := getenv(name); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	}
	return def
}

// checkEnv reports environment variables that are set but do not parse, naming the variable.
func checkEnv(getenv func(string) string, durations, ints []string) error {
	for _, name := range durations {
		if v := getenv(name); v != "" {
			if _, err := time.ParseDuration(v); err != nil {
				return fmt.Errorf("%s=%q is not a duration (like 5s or 2m)", name, v)
			}
		}
	}
	for _, name := range ints {
		if v := getenv(name); v != "" {
			if _, err := strconv.ParseInt(v, 10, 64); err != nil {
				return fmt.Errorf("%s=%q is not a whole number", name, v)
			}
		}
	}
	return nil
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}
