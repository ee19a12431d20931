// Package testdb gives tests a real Neo4j: the one at NEO4J_URI, else a testcontainers
// neo4j:5.26 container when a Docker engine answers, else the repository's embedded launcher.
package testdb

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"
	tcneo4j "github.com/testcontainers/testcontainers-go/modules/neo4j"
)

// Image is the Docker image tests use where a Docker engine exists.
const Image = "neo4j:5.26-community"

// HardenedSettings keep Cypher inside the graph, as the embedded launcher starts Neo4j
// (Launcher.hardening) and as README's Security section tells operators: no LOAD CSV from
// files or network addresses, no plugin procedures but the console's schema ones. The test
// container and docker-compose.yml's neo4j start with them (the image's import folder is
// empty, so it needs no setting of its own).
var HardenedSettings = map[string]string{
	"dbms.security.allow_csv_import_from_file_urls": "false",
	"internal.dbms.cypher_ip_blocklist":             "0.0.0.0/0,::/0",
	"dbms.security.procedures.allowlist": "db.labels,db.relationshipTypes,db.propertyKeys," +
		"db.schema.visualization,db.schema.nodeTypeProperties,db.schema.relTypeProperties",
}

// DockerEnv is the official image's environment variable for a Neo4j setting: NEO4J_, then the
// name with its underscores doubled and its dots as underscores.
func DockerEnv(setting string) string {
	return "NEO4J_" + strings.ReplaceAll(strings.ReplaceAll(setting, "_", "__"), ".", "_")
}

// Neo4j is a database a test run talks to.
type Neo4j struct {
	URI      string
	User     string
	Password string
	Source   string // "NEO4J_URI", "testcontainers" or "launcher"
	stop     func() error
}

// Stop stops the database if this package started it.
func (n *Neo4j) Stop() error {
	if n == nil || n.stop == nil {
		return nil
	}
	return n.stop()
}

// Start returns a database for a test run, in the order: NEO4J_URI, testcontainers, launcher.
func Start(ctx context.Context) (*Neo4j, error) {
	if uri := os.Getenv("NEO4J_URI"); uri != "" {
		return &Neo4j{URI: uri, User: envOr("NEO4J_USER", "neo4j"), Password: os.Getenv("NEO4J_PASSWORD"), Source: "NEO4J_URI"}, nil
	}
	if dockerAnswers(ctx) {
		return startContainer(ctx)
	}
	l, err := StartLauncher(ctx, "")
	if err != nil {
		return nil, err
	}
	return l.Neo4j, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func dockerAnswers(ctx context.Context) bool {
	if os.Getenv("LOT_TRACE_TEST_NO_DOCKER") != "" {
		return false
	}
	provider, err := testcontainers.NewDockerProvider()
	if err != nil {
		return false
	}
	defer provider.Close()
	hctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	return provider.Health(hctx) == nil
}

func startContainer(ctx context.Context) (*Neo4j, error) {
	c, err := tcneo4j.Run(ctx, Image, tcneo4j.WithoutAuthentication(), tcneo4j.WithNeo4jSettings(HardenedSettings))
	if err != nil {
		return nil, fmt.Errorf("testdb: start %s container: %w", Image, err)
	}
	uri, err := c.BoltUrl(ctx)
	if err != nil {
		_ = testcontainers.TerminateContainer(c)
		return nil, fmt.Errorf("testdb: container bolt url: %w", err)
	}
	return &Neo4j{URI: uri, User: "neo4j", Source: "testcontainers", stop: func() error {
		return testcontainers.TerminateContainer(c)
	}}, nil
}

// RepoRoot is the repository's top folder, found from this file's place in it.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Launcher is a Neo4j started by the repository's embedded launcher.
type Launcher struct {
	*Neo4j
	Port    int
	DataDir string
	cmd     *exec.Cmd
	exited  chan struct{}
}

// StartLauncher starts the embedded launcher on a free port. With dataDir "" it uses a new
// temporary folder that Stop removes; otherwise the data survives Stop, for restart tests.
func StartLauncher(ctx context.Context, dataDir string) (*Launcher, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	return StartLauncherOn(ctx, port, dataDir)
}

// StartLauncherOn starts the embedded launcher on the given Bolt port and waits, at most
// three minutes, until it accepts Bolt connections.
func StartLauncherOn(ctx context.Context, port int, dataDir string) (*Launcher, error) {
	removeData := false
	if dataDir == "" {
		dir, err := os.MkdirTemp("", "lot-trace-neo4j-")
		if err != nil {
			return nil, err
		}
		dataDir, removeData = dir, true
	}
	launch := filepath.Join(RepoRoot(), "neo4j-embedded", "launch")
	cmd := exec.Command(launch, "--bolt-port", fmt.Sprint(port), "--data-dir", dataDir, "--pagecache", "512m")
	cmd.Env = append(os.Environ(), "NEO4J_JAVA_OPTS=-Xms256m -Xmx2g -XX:+UseG1GC")
	// Its own process group, so that Stop reaches the JVM and not only the script.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr strings.Builder
	cmd.Stderr = &limitedWriter{w: &stderr, left: 64 << 10}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("testdb: start %s: %w", launch, err)
	}
	l := &Launcher{Port: port, DataDir: dataDir, cmd: cmd, exited: make(chan struct{})}
	ready := make(chan struct{})
	go func() {
		var signalled atomic.Bool
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "accepting Bolt connections") && !signalled.Swap(true) {
				close(ready)
			}
		}
		_ = cmd.Wait()
		close(l.exited)
	}()
	select {
	case <-ready:
	case <-l.exited:
		return nil, fmt.Errorf("testdb: the launcher exited before accepting connections: %s", strings.TrimSpace(stderr.String()))
	case <-time.After(3 * time.Minute):
		l.kill()
		return nil, errors.New("testdb: the launcher did not accept Bolt connections within 3 minutes")
	case <-ctx.Done():
		l.kill()
		return nil, ctx.Err()
	}
	l.Neo4j = &Neo4j{URI: fmt.Sprintf("bolt://127.0.0.1:%d", port), User: "neo4j", Source: "launcher", stop: func() error {
		err := l.terminate()
		if removeData {
			_ = os.RemoveAll(dataDir)
		}
		return err
	}}
	return l, nil
}

// terminate sends SIGTERM and waits for a clean exit, killing after 30 seconds.
func (l *Launcher) terminate() error {
	_ = syscall.Kill(-l.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-l.exited:
		return nil
	case <-time.After(30 * time.Second):
		l.kill()
		return errors.New("testdb: the launcher did not stop within 30s of SIGTERM; killed")
	}
}

func (l *Launcher) kill() {
	_ = syscall.Kill(-l.cmd.Process.Pid, syscall.SIGKILL)
	<-l.exited
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

type limitedWriter struct {
	w    io.Writer
	left int
}

func (lw *limitedWriter) Write(p []byte) (int, error) {
	n := len(p)
	if lw.left > 0 {
		q := p
		if len(q) > lw.left {
			q = q[:lw.left]
		}
		lw.left -= len(q)
		_, _ = lw.w.Write(q)
	}
	return n, nil
}

// InCI reports whether the tests run in CI, where a missing database is a failure.
func InCI() bool { return os.Getenv("CI") == "true" }

// Unavailable ends a test that needs a database it cannot have: a failure in CI, a skip
// on a developer's machine without Java or Docker.
func Unavailable(t testing.TB, why error) {
	t.Helper()
	if InCI() {
		t.Fatalf("no Neo4j for the integration tests (CI=true makes this a failure): %v", why)
	}
	t.Skipf("no Neo4j for the integration tests: %v (set NEO4J_URI, or install Java 17 and Maven, or Docker)", why)
}
