package audit

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestEveryValueIsEncodable: values json.Marshal refuses (NaN, infinities) or would change
// silently (invalid UTF-8) are written as text, and the entry is written.
func TestEveryValueIsEncodable(t *testing.T) {
	l := openTemp(t)
	e := Entry{At: time.Now(), Key: "k\xff", Route: "/api/v1/cypher", Cypher: "RETURN $hide // \xc3",
		Params: map[string]any{
			"hide": math.Inf(1), "low": math.Inf(-1), "nan": math.NaN(), "f32": float32(math.Inf(1)),
			"nested": map[string]any{"list": []any{math.NaN(), "ok\xfe", json.Number("1e999")}},
			"other":  struct{ X int }{7}, "bad\xffkey": 1,
		},
		DurationMS: math.NaN()}
	if err := l.Append(e); err != nil {
		t.Fatalf("Append: %v, want every value written", err)
	}
	got, err := l.Recent(time.Time{}, 1)
	if err != nil || len(got) != 1 {
		t.Fatalf("Recent: %v %v", got, err)
	}
	p := got[0].Params
	nested := p["nested"].(map[string]any)["list"].([]any)
	if p["hide"] != "+Inf" || p["low"] != "-Inf" || p["nan"] != "NaN" || p["f32"] != "+Inf" || nested[0] != "NaN" ||
		nested[1] != "ok\uFFFD" || nested[2] != "1e999" || p["other"] != "{7}" || p["bad\uFFFDkey"] != float64(1) {
		t.Errorf("params read back as %#v", p)
	}
	if got[0].Key != "k\uFFFD" || !utf8.ValidString(got[0].Cypher) {
		t.Errorf("text read back as key %q, cypher %q", got[0].Key, got[0].Cypher)
	}
}

// TestEntriesAreCapped: a huge Cypher text, deep or large params and many ids are cut, the
// line stays under MaxLine and Cut says what was cut.
func TestEntriesAreCapped(t *testing.T) {
	deep := map[string]any{}
	for i, m := 0, deep; i < 9990; i++ {
		next := map[string]any{}
		m["a"] = next
		m = next
	}
	ids := make([]string, 5000)
	for i := range ids {
		ids[i] = strings.Repeat("i", 300)
	}
	cases := map[string]Entry{
		"16 MB comment": {Cypher: "RETURN 1 // " + strings.Repeat("c", 16<<20)},
		"control chars": {Cypher: strings.Repeat("\x01", MaxCypher), Path: strings.Repeat("\x02", 1<<20)},
		"deep params":   {Params: deep},
		"large params":  {Params: map[string]any{"s": strings.Repeat("p", 1<<20), "l": make([]any, 100000)}},
		"many ids":      {Event: "bulk", IDs: ids},
	}
	for name, e := range cases {
		t.Run(name, func(t *testing.T) {
			e.At = time.Now()
			line, err := Encode(e)
			if err != nil {
				t.Fatal(err)
			}
			if len(line) > MaxLine {
				t.Errorf("line of %d bytes, want at most %d", len(line), MaxLine)
			}
			var back Entry
			if err := json.Unmarshal(line, &back); err != nil {
				t.Fatal(err)
			}
			if len(back.Cut) == 0 {
				t.Error("Cut is empty, want the cut fields named")
			}
		})
	}
}

// TestRecentSkipsAnOversizeLineQuickly: a file written before the caps, holding one 16 MB line,
// answers the newest entries without assembling that line.
func TestRecentSkipsAnOversizeLineQuickly(t *testing.T) {
	l := openTemp(t)
	_ = l.Append(Entry{At: time.Now(), Key: "old"})
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	huge, _ := json.Marshal(Entry{At: time.Now(), Key: "huge", Cypher: strings.Repeat("c", 16<<20)})
	_, _ = f.Write(append(huge, '\n'))
	f.Close()
	_ = l.Append(Entry{At: time.Now(), Key: "new"})
	// Cost is measured in bytes allocated, which does not depend on the machine's speed:
	// assembling the 16 MB line block by block used to copy gigabytes.
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got, err := l.Recent(time.Time{}, 10)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if keysOf(got) != "new,old" {
		t.Errorf("Recent = %s, want new,old (the oversize line skipped)", keysOf(got))
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Errorf("Recent allocated %d bytes past a 16 MB line, want under 4 MiB", alloc)
	}
}

// TestBeginAndEndAreOneCall: a call's end entry stands for it; a call with a begin entry only
// (still running, or the process died) shows its begin entry.
func TestBeginAndEndAreOneCall(t *testing.T) {
	l := openTemp(t)
	now := time.Now()
	for _, e := range []Entry{
		{ID: "1", Phase: PhaseBegin, At: now, Key: "done"},
		{ID: "2", Phase: PhaseBegin, At: now, Key: "died"},
		{ID: "1", Phase: PhaseEnd, At: now, Key: "done", Status: 200},
	} {
		if err := l.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := l.Recent(time.Time{}, 10)
	if len(got) != 2 || got[0].Phase != PhaseEnd || got[0].Status != 200 || got[1].Key != "died" || got[1].Phase != PhaseBegin {
		t.Errorf("Recent = %+v, want the end of call 1 and the begin of call 2", got)
	}
}

// TestSizeRotationKeepsRecentWhole: past MaxBytes the file rotates, at most Keep old files are
// kept, and Recent reads on into the rotated files.
func TestSizeRotationKeepsRecentWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l, err := OpenWith(path, Options{MaxBytes: 4 << 10, Keep: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	t0 := time.Now()
	for i := range 60 {
		if err := l.Append(Entry{At: t0.Add(time.Duration(i) * time.Millisecond), Key: "k" + strings.Repeat("x", 100), Status: i}); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{path, path + ".1", path + ".2"} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if info.Size() > 4<<10 {
			t.Errorf("%s is %d bytes, over the 4 KiB limit", p, info.Size())
		}
	}
	if _, err := os.Stat(path + ".3"); err == nil {
		t.Errorf("%s.3 exists, want only 2 rotated files kept", path)
	}
	got, _ := l.Recent(time.Time{}, 1000)
	if len(got) < 40 || got[0].Status != 59 {
		t.Fatalf("Recent gave %d entries from %d, want the newest and the rotated files' too", len(got), got[0].Status)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Status != got[i-1].Status-1 {
			t.Fatalf("entry %d is call %d after %d: want every call, newest first, across files", i, got[i].Status, got[i-1].Status)
		}
	}
}

// TestReopenAfterRename: logrotate renames the file and sends SIGHUP; entries go to the new
// file, and Recent finds the old ones in path.1.
func TestReopenAfterRename(t *testing.T) {
	l := openTemp(t)
	_ = l.Append(Entry{At: time.Now(), Key: "before"})
	if err := os.Rename(l.path, l.path+".1"); err != nil {
		t.Fatal(err)
	}
	if err := l.Reopen(); err != nil {
		t.Fatal(err)
	}
	_ = l.Append(Entry{At: time.Now(), Key: "after"})
	raw, err := os.ReadFile(l.path)
	if err != nil || !strings.Contains(string(raw), `"after"`) || strings.Contains(string(raw), `"before"`) {
		t.Errorf("the new file holds %q (%v), want only the entry written after Reopen", raw, err)
	}
	if got, _ := l.Recent(time.Time{}, 10); keysOf(got) != "after,before" {
		t.Errorf("Recent = %s, want after,before", keysOf(got))
	}
}

// TestAFailedWriteIsAnError: on a full disk Append says so (the caller then refuses the call),
// and nothing half-written corrupts the next entry.
func TestAFailedWriteIsAnError(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full on this system")
	}
	l, err := Open("/dev/full")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.Append(Entry{At: time.Now(), Key: "lost"}); err == nil {
		t.Error("Append to a full disk returned nil, want an error")
	}
}
