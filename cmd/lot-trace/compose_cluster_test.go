package main

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/lot-trace/lot-trace/test/testdb"
)

// TestComposeClusterFile keeps docker-compose.cluster.yml honest: it cannot run here (no
// Docker engine, and Neo4j Enterprise), so this checks what a reader would: three Neo4j 5.26
// Enterprise primaries that find each other and start only once the operator accepts the
// licence, hardened as the embedded launcher; two lot-trace replicas that set only variables
// the service reads, route over neo4j://, keep no state (the audit trail in Neo4j and on
// stdout) and run the console as the user the one-shot console-user service creates; and a
// load balancer from Caddy's official image that spreads calls over both replicas and checks
// their readiness.
func TestComposeClusterFile(t *testing.T) {
	root := filepath.Join("..", "..")
	raw, err := os.ReadFile(filepath.Join(root, "docker-compose.cluster.yml"))
	if err != nil {
		t.Fatal(err)
	}
	type service struct {
		Image       string            `yaml:"image"`
		Build       any               `yaml:"build"`
		Hostname    string            `yaml:"hostname"`
		Environment map[string]string `yaml:"environment"`
		DependsOn   any               `yaml:"depends_on"`
		Volumes     []string          `yaml:"volumes"`
		Command     []string          `yaml:"command"`
		Healthcheck *struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
	}
	var compose struct {
		Services map[string]service `yaml:"services"`
	}
	if err := yaml.Unmarshal(raw, &compose); err != nil {
		t.Fatalf("docker-compose.cluster.yml does not parse: %v", err)
	}
	dependsOn := func(s service, name, condition string) bool {
		m, ok := s.DependsOn.(map[string]any)
		if !ok {
			list, _ := s.DependsOn.([]any)
			return condition == "" && slices.Contains(list, any(name))
		}
		dep, _ := m[name].(map[string]any)
		return dep != nil && dep["condition"] == condition
	}

	// Three primaries.
	servers := []string{"neo4j-1", "neo4j-2", "neo4j-3"}
	var endpoints []string
	for _, name := range servers {
		endpoints = append(endpoints, name+":6000")
	}
	for _, name := range servers {
		db, ok := compose.Services[name]
		if !ok {
			t.Fatalf("no service %s", name)
		}
		env := db.Environment
		if db.Image != "neo4j:5.26-enterprise" {
			t.Errorf("%s: image %q, want neo4j:5.26-enterprise", name, db.Image)
		}
		if !strings.HasPrefix(env["NEO4J_ACCEPT_LICENSE_AGREEMENT"], "${NEO4J_ACCEPT_LICENSE_AGREEMENT:?") {
			t.Errorf("%s: the licence is accepted by %q, want the operator's NEO4J_ACCEPT_LICENSE_AGREEMENT, required", name, env["NEO4J_ACCEPT_LICENSE_AGREEMENT"])
		}
		if env["NEO4J_server_default__advertised__address"] != name || db.Hostname != name {
			t.Errorf("%s advertises %q as hostname %q", name, env["NEO4J_server_default__advertised__address"], db.Hostname)
		}
		if env["NEO4J_dbms_cluster_discovery_v2_endpoints"] != strings.Join(endpoints, ",") || env["NEO4J_dbms_cluster_discovery_version"] != "V2_ONLY" {
			t.Errorf("%s: discovery %q %q, want V2_ONLY over %v", name, env["NEO4J_dbms_cluster_discovery_version"], env["NEO4J_dbms_cluster_discovery_v2_endpoints"], endpoints)
		}
		if env["NEO4J_initial_dbms_default__primaries__count"] != "3" || env["NEO4J_initial_server_mode__constraint"] != "PRIMARY" {
			t.Errorf("%s is not one of three primaries", name)
		}
		for setting, value := range testdb.HardenedSettings {
			if got := env[testdb.DockerEnv(setting)]; got != value {
				t.Errorf("%s: %s = %q, want %q", name, testdb.DockerEnv(setting), got, value)
			}
		}
		if db.Healthcheck == nil || !slices.ContainsFunc(db.Volumes, func(v string) bool { return strings.HasSuffix(v, ":/data") }) {
			t.Errorf("%s needs a healthcheck and a data volume", name)
		}
	}

	// The console's user, made once by the script the README gives.
	init := compose.Services["console-user"]
	if !slices.Contains(init.Volumes, "./scripts/neo4j/console-user.cypher:/scripts/console-user.cypher:ro") ||
		len(init.Command) != 1 || !strings.Contains(init.Command[0], "-d system") || !strings.Contains(init.Command[0], "-f /scripts/console-user.cypher") ||
		!strings.Contains(init.Command[0], "password => '$$NEO4J_CONSOLE_PASSWORD'") {
		t.Errorf("console-user does not run scripts/neo4j/console-user.cypher on the system database: %+v", init)
	}

	// Two replicas, each reading every variable it is given.
	read := map[string]bool{}
	recording := func(name string) string { read[name] = true; return "" }
	if _, err := parseServeConfig(nil, recording, io.Discard); err != nil {
		t.Fatal(err)
	}
	replicas := []string{"lot-trace-1", "lot-trace-2"}
	for _, name := range replicas {
		svc, ok := compose.Services[name]
		if !ok || svc.Build == nil {
			t.Fatalf("no %s built from the Dockerfile", name)
		}
		env := svc.Environment
		for v := range env {
			if !read[v] {
				t.Errorf("%s sets %s, which the service never reads", name, v)
			}
		}
		if !strings.HasPrefix(env["NEO4J_URI"], "neo4j://neo4j-") {
			t.Errorf("%s: NEO4J_URI %q, want neo4j:// routing to a cluster server", name, env["NEO4J_URI"])
		}
		var sinks auditSinks
		if err := sinks.Set(env["LOT_TRACE_AUDIT_SINKS"]); err != nil || !slices.Contains(sinks, sinkNeo4j) || slices.Contains(sinks, sinkFile) {
			t.Errorf("%s: LOT_TRACE_AUDIT_SINKS %q (%v), want neo4j and no file: no state in the container", name, env["LOT_TRACE_AUDIT_SINKS"], err)
		}
		if env["NEO4J_CONSOLE_USER"] != "lot_trace_console" || !dependsOn(svc, "console-user", "service_completed_successfully") {
			t.Errorf("%s: the console's user %q, made before it starts", name, env["NEO4J_CONSOLE_USER"])
		}
		for _, db := range servers {
			if !dependsOn(svc, db, "service_healthy") {
				t.Errorf("%s does not wait for %s", name, db)
			}
		}
		if !strings.HasPrefix(env["NEO4J_PASSWORD"], "${NEO4J_PASSWORD") || !strings.Contains(compose.Services["neo4j-1"].Environment["NEO4J_AUTH"], "${NEO4J_PASSWORD") {
			t.Errorf("%s and Neo4j do not share NEO4J_PASSWORD", name)
		}
	}

	// The load balancer: an official image, spreading calls over both replicas by readiness.
	lb := compose.Services["load-balancer"]
	if lb.Image != "caddy:2" {
		t.Fatalf("load-balancer image %q, want Caddy's official image", lb.Image)
	}
	const caddyfile = "./deploy/cluster/Caddyfile"
	if !slices.Contains(lb.Volumes, caddyfile+":/etc/caddy/Caddyfile:ro") {
		t.Fatalf("load-balancer does not mount %s", caddyfile)
	}
	conf, err := os.ReadFile(filepath.Join(root, caddyfile))
	if err != nil {
		t.Fatal(err)
	}
	upstreams := regexp.MustCompile(`(?m)^\s*reverse_proxy ([^{]+)\{`).FindStringSubmatch(string(conf))
	var want []string
	for _, r := range replicas {
		want = append(want, r+":8080")
	}
	if upstreams == nil || !slices.Equal(strings.Fields(upstreams[1]), want) {
		t.Errorf("the Caddyfile proxies to %q, want %v", upstreams, want)
	}
	if !regexp.MustCompile(`(?m)^\s*health_uri /readyz$`).Match(conf) {
		t.Error("the Caddyfile does not check the replicas' /readyz")
	}
}
