package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/lot-trace/lot-trace/test/testdb"
)

// TestComposeSetsOnlyWhatTheServiceReads keeps docker-compose.yml honest: nobody can run it
// here (no Docker engine), so this test checks that every variable it sets for the service is
// one the service reads, that the service and Neo4j share one password variable, and that
// Neo4j starts hardened as the embedded launcher does.
func TestComposeSetsOnlyWhatTheServiceReads(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Build       any               `yaml:"build"`
			Environment map[string]string `yaml:"environment"`
			DependsOn   map[string]struct {
				Condition string `yaml:"condition"`
			} `yaml:"depends_on"`
			Healthcheck *struct {
				Test []string `yaml:"test"`
			} `yaml:"healthcheck"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(raw, &compose); err != nil {
		t.Fatalf("docker-compose.yml does not parse: %v", err)
	}

	read := map[string]bool{}
	recording := func(name string) string { read[name] = true; return "" }
	if _, err := parseServeConfig(nil, recording, io.Discard); err != nil {
		t.Fatal(err)
	}

	svc, ok := compose.Services["lot-trace"]
	if !ok || svc.Build == nil {
		t.Fatal("docker-compose.yml has no lot-trace service built from the Dockerfile")
	}
	for name := range svc.Environment {
		if !read[name] {
			t.Errorf("docker-compose.yml sets %s for lot-trace, which the service never reads", name)
		}
	}
	for _, must := range []string{"NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "LOT_TRACE_ADDR"} {
		if _, ok := svc.Environment[must]; !ok {
			t.Errorf("docker-compose.yml does not set %s for lot-trace", must)
		}
	}
	if svc.DependsOn["neo4j"].Condition != "service_healthy" {
		t.Error("lot-trace must start once neo4j is healthy")
	}

	db, ok := compose.Services["neo4j"]
	if !ok {
		t.Fatal("docker-compose.yml has no neo4j service")
	}
	if !strings.HasPrefix(db.Image, "neo4j:5.26") {
		t.Errorf("neo4j image = %q, want the 5.26 line", db.Image)
	}
	if db.Healthcheck == nil || len(db.Healthcheck.Test) == 0 {
		t.Error("neo4j has no healthcheck, so depends_on cannot wait for it")
	}
	for setting, value := range testdb.HardenedSettings {
		if got := db.Environment[testdb.DockerEnv(setting)]; got != value {
			t.Errorf("neo4j's %s = %q, want %q (%s, as the embedded launcher sets it)", testdb.DockerEnv(setting), got, value, setting)
		}
	}
	passwordVar := strings.TrimPrefix(strings.SplitN(svc.Environment["NEO4J_PASSWORD"], ":", 2)[0], "${")
	if !strings.Contains(db.Environment["NEO4J_AUTH"], "${"+passwordVar) {
		t.Errorf("NEO4J_AUTH %q and the service's NEO4J_PASSWORD %q use different variables", db.Environment["NEO4J_AUTH"], svc.Environment["NEO4J_PASSWORD"])
	}
	if user := strings.SplitN(db.Environment["NEO4J_AUTH"], "/", 2)[0]; user != svc.Environment["NEO4J_USER"] {
		t.Errorf("the service's NEO4J_USER %q differs from the user in NEO4J_AUTH %q", svc.Environment["NEO4J_USER"], user)
	}
}
