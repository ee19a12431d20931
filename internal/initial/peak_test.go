package initial

import (
	"os/exec"
	"runtime"
	"syscall"
	"testing"
)

func TestParseVmHWM(t *testing.T) {
	status := "Name:\tjava\nVmPeak:\t 9000000 kB\nVmSize:\t 8000000 kB\nVmHWM:\t 2340012 kB\nVmRSS:\t 1000000 kB\n"
	got, err := parseVmHWM([]byte(status))
	if err != nil || got != 2340012*1024 {
		t.Fatalf("parseVmHWM = %d, %v; want %d (VmHWM, not VmPeak or VmRSS)", got, err, 2340012*1024)
	}
	for _, bad := range []string{"Name:\tzombie\nState:\tZ (zombie)\n", "VmHWM:\t12 MB\n", "VmHWM:\tlots kB\n", ""} {
		if n, err := parseVmHWM([]byte(bad)); err == nil {
			t.Errorf("parseVmHWM(%q) = %d, want an error", bad, n)
		}
	}
}

// A child started by a process that holds much memory reports its own peak, not its
// parent's: getrusage(RUSAGE_CHILDREN) gave the parent's (Go starts children with vfork,
// and Linux keeps the parent's high-water mark across the child's exec).
func TestPeakMemoryIsTheChildsOwn(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	const held = 512 << 20
	ballast := make([]byte, held)
	for i := 0; i < len(ballast); i += 4096 {
		ballast[i] = 1 // resident
	}
	var peak peakMemory
	cmd := exec.Command("sleep", "0.5")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop := peak.watch(cmd.Process.Pid)
	err := cmd.Wait()
	stop()
	if err != nil {
		t.Fatal(err)
	}
	if got := peak.Bytes(); got <= 0 || got >= held/4 {
		t.Errorf("the child's peak is %d MiB; want sleep's own few MiB, not this process's %d MiB", got>>20, held>>20)
	}
	if own := ownPeak(); own < held {
		t.Errorf("this process's peak is %d MiB; it holds %d MiB", own>>20, held>>20)
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru) == nil {
		t.Logf("for comparison, getrusage(RUSAGE_CHILDREN) says %d MiB; VmHWM says %d KiB", ru.Maxrss>>10, peak.Bytes()>>10)
	}
	runtime.KeepAlive(ballast)
}
