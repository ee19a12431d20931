package initial

import (
	"bytes"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Peak memory, read from /proc: a process's VmHWM, the high-water mark of its own resident
// memory. getrusage cannot tell the Java processes apart from lot-trace: Go starts a child
// with vfork, and when the child execs, Linux keeps the parent's high-water mark as the
// child's ru_maxrss; so RUSAGE_CHILDREN reported lot-trace's own peak whenever it was the
// larger (10M events: 5,716 MiB for both).

// peakMemory is the largest VmHWM seen of the processes watched, in bytes.
type peakMemory struct {
	mu  sync.Mutex
	max int64
}

func (p *peakMemory) see(bytes int64) {
	p.mu.Lock()
	p.max = max(p.max, bytes)
	p.mu.Unlock()
}

// Bytes is the peak so far; 0 when no process was watched or /proc could not be read.
func (p *peakMemory) Bytes() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.max
}

// peakSampling is how often a watched process's VmHWM is read: being a high-water mark, it
// only misses what the process grows in its last interval.
const peakSampling = 100 * time.Millisecond

// watch samples pid's VmHWM until stop is called or the process is gone; stop takes a last
// sample (call it before reaping the process) and returns once the sampling has ended.
func (p *peakMemory) watch(pid int) (stop func()) {
	done := make(chan struct{})
	ended := make(chan struct{})
	sample := func() bool {
		hwm, err := vmHWM(pid)
		if err != nil {
			return false
		}
		p.see(hwm)
		return true
	}
	go func() {
		defer close(ended)
		t := time.NewTicker(peakSampling)
		defer t.Stop()
		for sample() {
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			<-ended
			sample()
		})
	}
}

// cpuTime is the user and system CPU time of this process and of the children it has
// reaped (CPU times, unlike ru_maxrss, are each process's own).
func cpuTime() time.Duration {
	var self, children syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &self) != nil || syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children) != nil {
		return 0
	}
	var sum time.Duration
	for _, tv := range []syscall.Timeval{self.Utime, self.Stime, children.Utime, children.Stime} {
		sum += time.Duration(tv.Nano())
	}
	return sum
}

// vmHWM is the process's peak resident memory in bytes, from /proc/PID/status.
func vmHWM(pid int) (int64, error) {
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	return parseVmHWM(status)
}

// ownPeak is this process's peak resident memory in bytes (0 when unknown).
func ownPeak() int64 {
	n, _ := vmHWM(os.Getpid())
	return n
}

// errNoVmHWM is a status without a VmHWM line (a zombie's, or not Linux's).
type errNoVmHWM struct{}

func (errNoVmHWM) Error() string { return "no VmHWM line in the process status" }

// parseVmHWM reads the "VmHWM:   1234 kB" line of a /proc/PID/status text.
func parseVmHWM(status []byte) (int64, error) {
	for line := range bytes.SplitSeq(status, []byte("\n")) {
		rest, ok := bytes.CutPrefix(line, []byte("VmHWM:"))
		if !ok {
			continue
		}
		fields := bytes.Fields(rest)
		if len(fields) != 2 || string(fields[1]) != "kB" {
			return 0, errNoVmHWM{}
		}
		kb, err := strconv.ParseInt(string(fields[0]), 10, 64)
		if err != nil {
			return 0, err
		}
		return kb << 10, nil
	}
	return 0, errNoVmHWM{}
}
