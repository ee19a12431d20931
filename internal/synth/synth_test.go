package synth

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/ingest"
)

func generate(t testing.TB, opt Options) ([]byte, Stats) {
	t.Helper()
	var buf bytes.Buffer
	stats, err := Generate(&buf, opt)
	if err != nil {
		t.Fatalf("Generate(%+v): %v", opt, err)
	}
	return buf.Bytes(), stats
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, _ := generate(t, Options{Seed: 7, Lots: 3000})
	b, _ := generate(t, Options{Seed: 7, Lots: 3000})
	if !bytes.Equal(a, b) {
		t.Error("two runs with seed 7 wrote different bytes")
	}
	c, _ := generate(t, Options{Seed: 8, Lots: 3000})
	if bytes.Equal(a, c) {
		t.Error("seeds 7 and 8 wrote the same bytes")
	}
}

func TestEveryLineDecodes(t *testing.T) {
	data, stats := generate(t, Options{Seed: 1, Lots: 3000})
	n := 0
	for l := range bytes.Lines(data) {
		n++
		if _, err := ingest.DecodeEvent(l); err != nil {
			t.Fatalf("line %d does not decode: %v\n%s", n, err, l)
		}
	}
	if n != stats.Events {
		t.Errorf("%d lines, Stats.Events = %d", n, stats.Events)
	}
}

// lotRecord is what the replay knows of one lot.
type lotRecord struct {
	product   string
	unit      string
	quantity  float64
	used      float64        // consumed plus shipped
	batches   int            // batches that consumed it
	shipments map[string]int // shipment lines by customer
	depth     int            // transformation levels behind it: 0 for a received lot
}

// history is a plain replay of generated lines, as the service would apply them.
type history struct {
	lots       map[string]*lotRecord
	maxOutputs int
	firstSalt  string
	deepest    string         // the lot with the most transformation levels behind it
	counts     map[string]int // events by type
}

// replay applies the lines in order and fails the test at the first line the service would
// reject or that breaks the generator's promises: an unknown lot, a unit that is not the
// lot's, more taken from a lot than it holds, a duplicate id, or time going backwards.
func replay(t *testing.T, data []byte) *history {
	t.Helper()
	h := &history{lots: map[string]*lotRecord{}, counts: map[string]int{}}
	batches, shipments := map[string]bool{}, map[string]bool{}
	var last time.Time
	n := 0
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("line %d: "+format, append([]any{n}, args...)...)
	}
	create := func(code, product, unit string, q float64) {
		t.Helper()
		if h.lots[code] != nil {
			fail("lot %s is created twice", code)
		}
		h.lots[code] = &lotRecord{product: product, unit: unit, quantity: q, shipments: map[string]int{}}
	}
	draw := func(l ingest.LineJSON) *lotRecord {
		t.Helper()
		lot := h.lots[l.Lot]
		switch {
		case lot == nil:
			fail("lot %s is used before it is created", l.Lot)
		case l.Unit != lot.unit:
			fail("lot %s is used in %s, but counted in %s", l.Lot, l.Unit, lot.unit)
		}
		lot.used += *l.Quantity
		if lot.used > lot.quantity+1e-6 {
			fail("lot %s of %g %s has had %g taken from it", l.Lot, lot.quantity, lot.unit, lot.used)
		}
		return lot
	}
	forward := func(stamp string) {
		t.Helper()
		at, err := time.Parse(time.RFC3339, stamp)
		if err != nil || at.Location() != time.UTC {
			fail("time %q is not RFC 3339 UTC", stamp)
		}
		if at.Before(last) {
			fail("time %s is before the previous line's %s", stamp, last.Format(time.RFC3339))
		}
		last = at
	}

	for l := range bytes.Lines(data) {
		n++
		var head struct{ Type string }
		if err := json.Unmarshal(l, &head); err != nil {
			fail("%v", err)
		}
		h.counts[head.Type]++
		switch head.Type {
		case "receipt":
			var r ingest.ReceiptJSON
			mustUnmarshal(t, l, &r)
			forward(r.ReceivedAt)
			create(r.Lot.Code, r.Lot.Product, r.Lot.Unit, *r.Lot.Quantity)
			if r.Lot.Product == "SALT" && h.firstSalt == "" {
				h.firstSalt = r.Lot.Code
			}
		case "production":
			var p ingest.ProductionJSON
			mustUnmarshal(t, l, &p)
			forward(p.ProducedAt)
			if batches[p.Batch.ID] {
				fail("batch %s appears twice", p.Batch.ID)
			}
			batches[p.Batch.ID] = true
			depth := 0
			for _, in := range p.Inputs {
				lot := draw(in)
				lot.batches++
				depth = max(depth, lot.depth+1)
			}
			for _, out := range p.Outputs {
				create(out.Code, out.Product, out.Unit, *out.Quantity)
				h.lots[out.Code].depth = depth
				if h.deepest == "" || depth > h.lots[h.deepest].depth {
					h.deepest = out.Code
				}
			}
			h.maxOutputs = max(h.maxOutputs, len(p.Outputs))
		case "shipment":
			var s ingest.ShipmentJSON
			mustUnmarshal(t, l, &s)
			forward(s.ShippedAt)
			if shipments[s.ID] {
				fail("shipment %s appears twice", s.ID)
			}
			shipments[s.ID] = true
			onShipment := map[string]bool{}
			for _, sl := range s.Lines {
				if onShipment[sl.Lot] {
					fail("shipment %s lists lot %s twice", s.ID, sl.Lot)
				}
				onShipment[sl.Lot] = true
				draw(sl).shipments[s.Customer.ID]++
			}
		default:
			fail("unknown type %q", head.Type)
		}
	}
	return h
}

func mustUnmarshal(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%v: %s", err, data)
	}
}

// some reports whether any lot satisfies ok.
func (h *history) some(ok func(code string, l *lotRecord) bool) bool {
	for code, l := range h.lots {
		if ok(code, l) {
			return true
		}
	}
	return false
}

func TestReferentialIntegrity(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		data, stats := generate(t, Options{Seed: seed, Lots: 5000})
		h := replay(t, data)
		if len(h.lots) != stats.Lots {
			t.Errorf("seed %d: the replay found %d lots, Stats.Lots = %d", seed, len(h.lots), stats.Lots)
		}
		got := Stats{Receipts: h.counts["receipt"], Productions: h.counts["production"], Shipments: h.counts["shipment"]}
		if got.Receipts != stats.Receipts || got.Productions != stats.Productions || got.Shipments != stats.Shipments {
			t.Errorf("seed %d: the replay counted %+v, Stats says %+v", seed, got, stats)
		}
	}
}

func TestShapesOfARealBakery(t *testing.T) {
	data, _ := generate(t, Options{Seed: 1, Lots: 20000, HubBatches: 300})
	h := replay(t, data)
	finishedLot := func(code string) bool { return strings.HasPrefix(code, "FG-") }
	shapes := []struct {
		name string
		ok   bool
	}{
		{"a dough lot consumed in two or more batches", h.some(func(code string, l *lotRecord) bool {
			return strings.HasPrefix(code, "DOUGH-") && l.batches >= 2
		})},
		{"a batch with two or more outputs", h.maxOutputs >= 2},
		{"a finished lot reworked in a later batch", h.some(func(code string, l *lotRecord) bool {
			return finishedLot(code) && l.batches > 0
		})},
		{"a lot shipped to the same customer twice", h.some(func(_ string, l *lotRecord) bool {
			for _, lines := range l.shipments {
				if lines >= 2 {
					return true
				}
			}
			return false
		})},
		{"a lot both shipped and consumed", h.some(func(_ string, l *lotRecord) bool {
			return len(l.shipments) > 0 && l.batches > 0
		})},
		{"a lot shipped to several customers", h.some(func(_ string, l *lotRecord) bool { return len(l.shipments) >= 2 })},
		{"units other than kg", h.some(func(_ string, l *lotRecord) bool { return l.unit == "case" }) &&
			h.some(func(_ string, l *lotRecord) bool { return l.unit == "each" }) &&
			h.some(func(_ string, l *lotRecord) bool { return l.unit == "lb" })},
	}
	for _, s := range shapes {
		if !s.ok {
			t.Errorf("no %s", s.name)
		}
	}
	if h.firstSalt == "" {
		t.Fatal("no salt lot was received")
	}
	if got := h.lots[h.firstSalt].batches; got != 300 {
		t.Errorf("the hub salt lot %s is consumed in %d batches, want HubBatches = 300", h.firstSalt, got)
	}
}

// TestStarterChainRunsDeep: the sourdough starter is fed every feedEvery bakes from its
// previous lot, one bake in five takes a little of it, so the deepest backward chain (computed
// here from the events) is at least one level per feeding.
func TestStarterChainRunsDeep(t *testing.T) {
	data, stats := generate(t, Options{Seed: 3, Lots: 60000})
	h := replay(t, data)
	bakes, withStarter, starters := 0, 0, 0
	for code, l := range h.lots {
		if strings.HasPrefix(code, "STARTER-") {
			starters++
			if l.batches == 0 {
				t.Errorf("starter lot %s went into no batch", code)
			}
		}
	}
	for l := range bytes.Lines(data) {
		var p ingest.ProductionJSON
		if !bytes.Contains(l, []byte(`"BAKE-`)) {
			continue
		}
		mustUnmarshal(t, l, &p)
		bakes++
		for _, in := range p.Inputs {
			if strings.HasPrefix(in.Lot, "STARTER-") {
				withStarter++
			}
		}
	}
	if starters != stats.Feedings || starters < bakes/feedEvery || starters > bakes/feedEvery+1 {
		t.Errorf("%d starter lots, Stats.Feedings %d, for %d bakes: want one per %d bakes", starters, stats.Feedings, bakes, feedEvery)
	}
	if share := float64(withStarter) / float64(bakes); share < 0.15 || share > 0.25 {
		t.Errorf("%d of %d bakes took starter (%.2f), want about one in five", withStarter, bakes, share)
	}
	deepest := h.lots[h.deepest].depth
	t.Logf("%d lots, %d feedings: the deepest backward chain is %d levels (%s)", stats.Lots, stats.Feedings, deepest, h.deepest)
	if deepest < stats.Feedings {
		t.Errorf("the deepest chain is %d levels, want at least one per feeding (%d)", deepest, stats.Feedings)
	}
}

func TestAutomaticHub(t *testing.T) {
	data, stats := generate(t, Options{Seed: 4, Lots: 20000})
	h := replay(t, data)
	mixes := 0
	for code := range h.lots {
		if strings.HasPrefix(code, "DOUGH-") {
			mixes++
		}
	}
	if stats.HubBatches < mixes*3/4 || stats.HubBatches > mixes {
		t.Errorf("automatic HubBatches = %d, want most of the %d mixing batches", stats.HubBatches, mixes)
	}
	if got := h.lots[h.firstSalt].batches; got != stats.HubBatches {
		t.Errorf("the hub salt lot is consumed in %d batches, want %d", got, stats.HubBatches)
	}
}

func TestLotCountIsNearTheTarget(t *testing.T) {
	for _, target := range []int{1000, 20000} {
		_, stats := generate(t, Options{Seed: 5, Lots: target})
		if off := math.Abs(float64(stats.Lots-target)) / float64(target); off > 0.10 {
			t.Errorf("target %d lots: generated %d (%.1f%% off), want within 10%%", target, stats.Lots, off*100)
		}
	}
}

func TestPrefixIsOnEveryID(t *testing.T) {
	const prefix = "T7/"
	data, stats := generate(t, Options{Seed: 2, Lots: 2000, Prefix: prefix})
	var ids []string
	for l := range bytes.Lines(data) {
		var head struct{ Type string }
		mustUnmarshal(t, l, &head)
		switch head.Type {
		case "receipt":
			var r ingest.ReceiptJSON
			mustUnmarshal(t, l, &r)
			ids = append(ids, r.Lot.Code, r.Lot.SupplierLot, r.Supplier.ID, r.Reference.Number)
		case "production":
			var p ingest.ProductionJSON
			mustUnmarshal(t, l, &p)
			ids = append(ids, p.Batch.ID)
			if p.Reference != nil {
				ids = append(ids, p.Reference.Number)
			}
			for _, in := range p.Inputs {
				ids = append(ids, in.Lot)
			}
			for _, out := range p.Outputs {
				ids = append(ids, out.Code)
			}
		case "shipment":
			var s ingest.ShipmentJSON
			mustUnmarshal(t, l, &s)
			ids = append(ids, s.ID, s.Customer.ID, s.Reference.Number)
			for _, sl := range s.Lines {
				ids = append(ids, sl.Lot)
			}
		}
	}
	if len(ids) < stats.Events {
		t.Fatalf("found only %d ids in %d events", len(ids), stats.Events)
	}
	for _, id := range ids {
		if !strings.HasPrefix(id, prefix) {
			t.Fatalf("id %q lacks the prefix %q", id, prefix)
		}
	}
	// The prefix changes the ids and nothing else.
	plain, _ := generate(t, Options{Seed: 2, Lots: 2000})
	if stripped := bytes.ReplaceAll(data, []byte(`"`+prefix), []byte(`"`)); !bytes.Equal(stripped, plain) {
		t.Error("without its prefix, the prefixed history differs from the plain one")
	}
}

func TestBadOptionsAreRefused(t *testing.T) {
	tests := []struct {
		name string
		opt  Options
		want string
	}{
		{"no lots", Options{Lots: 0}, "lots"},
		{"negative hub", Options{Lots: 100, HubBatches: -1}, "hub"},
		{"prefix with a leading space", Options{Lots: 100, Prefix: " A-"}, "prefix"},
		{"prefix with a control character", Options{Lots: 100, Prefix: "A\n"}, "prefix"},
		{"prefix too long", Options{Lots: 100, Prefix: strings.Repeat("p", 190)}, "prefix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			_, err := Generate(&buf, tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Generate(%+v) error = %v, want one mentioning %q", tt.opt, err, tt.want)
			}
			if buf.Len() > 0 {
				t.Errorf("wrote %d bytes before refusing", buf.Len())
			}
		})
	}
}

// failingWriter fails once it has taken limit bytes.
type failingWriter struct{ limit int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.limit -= len(p); w.limit < 0 {
		return 0, io.ErrShortWrite
	}
	return len(p), nil
}

func TestWriteErrorsStopGeneration(t *testing.T) {
	opt := Options{Seed: 1, Lots: 20000}
	_, full := generate(t, opt)
	stats, err := Generate(&failingWriter{limit: 1 << 20}, opt)
	if err == nil {
		t.Fatal("Generate returned no error when its writer failed")
	}
	if stats.Events >= full.Events/2 {
		t.Errorf("Generate went on to %d of %d events after its writer failed at 1 MiB", stats.Events, full.Events)
	}
}

func BenchmarkGenerate(b *testing.B) {
	lots := 0
	for b.Loop() {
		stats, err := Generate(io.Discard, Options{Seed: 1, Lots: 100000})
		if err != nil {
			b.Fatal(err)
		}
		lots += stats.Lots
	}
	b.ReportMetric(float64(lots)/b.Elapsed().Seconds(), "lots/s")
}
