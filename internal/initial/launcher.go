package initial

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Embedded is the repository's embedded Neo4j (neo4j-embedded/launch) and its data folder.
type Embedded struct {
	Launch  string // the launch script
	DataDir string // its --data-dir: the Neo4j home the service's Neo4j runs on
}

// storeExists reports whether the data folder holds a store for the database, which must
// then be checked empty; a new folder holds none.
func (e Embedded) storeExists(database string) bool {
	_, err := os.Stat(filepath.Join(e.DataDir, "data", "databases", database))
	return err == nil
}

// checkStopped refuses a data folder that a running launcher holds. The launcher holds an
// exclusive lock on DIR/launcher.lock for its whole life (Java's FileLock: a POSIX record
// lock), and the kernel drops it when the process ends, so the lock is the truth, whatever
// started the launcher.
func (e Embedded) checkStopped() error {
	path := filepath.Join(e.DataDir, "launcher.lock")
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot check whether the embedded Neo4j on %s runs: %w", e.DataDir, err)
	}
	defer f.Close()
	lock := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: 0, Start: 0, Len: 0}
	if err := syscall.FcntlFlock(f.Fd(), syscall.F_GETLK, &lock); err != nil {
		return fmt.Errorf("cannot check whether the embedded Neo4j on %s runs: %w", e.DataDir, err)
	}
	if lock.Type != syscall.F_UNLCK {
		return fmt.Errorf("the embedded Neo4j on %s is running (process %d): stop it first (Ctrl-C where `make run` or `make neo4j` runs it); "+
			"the initial import starts it itself to check that it is empty, and again after the import", e.DataDir, lock.Pid)
	}
	return nil
}

// launcher is an embedded Neo4j this command started.
type launcher struct {
	uri    string
	cmd    *exec.Cmd
	exited chan struct{}
	stderr *strings.Builder
}

// start runs the launcher on a free loopback port and waits until it accepts Bolt
// connections (at most wait). peak watches its memory until it ends.
func (e Embedded) start(ctx context.Context, wait time.Duration, peak *peakMemory) (*launcher, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(e.Launch, "--bolt-port", fmt.Sprint(port), "--data-dir", e.DataDir)
	// Its own process group, so that stop reaches the JVM and a Ctrl-C here is ours to handle.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	l := &launcher{uri: fmt.Sprintf("bolt://127.0.0.1:%d", port), cmd: cmd, exited: make(chan struct{}), stderr: &strings.Builder{}}
	cmd.Stderr = &capped{w: l.stderr, left: 16 << 10}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the embedded Neo4j (%s): %w", e.Launch, err)
	}
	// The launcher execs Java: its process is the JVM's.
	stopWatch := peak.watch(cmd.Process.Pid)
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		signalled := false
		for sc.Scan() {
			if !signalled && strings.Contains(sc.Text(), "accepting Bolt connections") {
				signalled = true
				close(ready)
			}
		}
		stopWatch()
		_ = cmd.Wait()
		close(l.exited)
	}()
	select {
	case <-ready:
		return l, nil
	case <-l.exited:
		return nil, fmt.Errorf("the embedded Neo4j on %s did not start: %s", e.DataDir, strings.TrimSpace(l.stderr.String()))
	case <-time.After(wait):
		l.kill()
		return nil, fmt.Errorf("the embedded Neo4j on %s did not accept connections within %s (see %s)", e.DataDir, wait,
			filepath.Join(e.DataDir, "logs", "debug.log"))
	case <-ctx.Done():
		l.kill()
		return nil, ctx.Err()
	}
}

// stop shuts the database down cleanly (SIGTERM) and waits for it, killing it after two minutes.
func (l *launcher) stop() error {
	_ = syscall.Kill(-l.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-l.exited:
		return nil
	case <-time.After(2 * time.Minute):
		l.kill()
		return errors.New("the embedded Neo4j did not stop within 2 minutes and was killed; it recovers its store at the next start")
	}
}

func (l *launcher) kill() {
	_ = syscall.Kill(-l.cmd.Process.Pid, syscall.SIGKILL)
	<-l.exited
}

// admin runs neo4j-admin with args on the data folder (see launch admin), its output to log;
// peak watches its memory.
func (e Embedded) admin(ctx context.Context, log string, peak *peakMemory, args ...string) error {
	out, err := os.Create(log)
	if err != nil {
		return err
	}
	defer out.Close()
	cmd := exec.CommandContext(ctx, e.Launch, append([]string{"admin", "--data-dir", e.DataDir}, args...)...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM) }
	err = cmd.Start()
	if err == nil {
		stopWatch := peak.watch(cmd.Process.Pid) // launch admin execs Java
		err = cmd.Wait()
		stopWatch()
	}
	if err != nil {
		return fmt.Errorf("neo4j-admin database import failed (%v):\n%s\n(the whole output is in %s)", err, tail(log, 20), log)
	}
	return nil
}

// tail is the last n lines of a file.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// capped keeps the first left bytes written to it.
type capped struct {
	w    *strings.Builder
	left int
}

func (c *capped) Write(p []byte) (int, error) {
	if c.left > 0 {
		n := min(len(p), c.left)
		c.w.Write(p[:n])
		c.left -= n
	}
	return len(p), nil
}
