package graph

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// goldenEvents are events whose fingerprints are pinned: a stored event's fingerprint decides
// whether a resend is "unchanged" or a 409, so it must never drift.
func goldenEvents() []struct {
	name string
	ev   Event
	want string
} {
	at := time.Date(2026, 10, 1, 7, 0, 0, 0, time.UTC)
	return []struct {
		name string
		ev   Event
		want string
	}{
		{"receipt", &Receipt{
			Lot:        NewLot{Code: "FLOUR-A", Product: "FLOUR", Description: "flour", Quantity: Quantity{1000, "kg"}, SupplierLot: "S-FLOUR-A", ExpiresAt: "2027-06-30"},
			Supplier:   Supplier{ID: "SUP-MILL", Name: "SUP-MILL Co.", Location: "Saskatoon, SK"},
			ReceivedAt: at, Location: "BAKERY-1", Reference: Reference{"PO", "PO-FLOUR-A"},
		}, "9b8d5d855902cbf308f07f1f4317b4f6"},
		{"production", &Production{
			Batch: Batch{ID: "MIX-1", Line: "L1"}, ProducedAt: at.Add(47 * time.Hour), Location: "BAKERY-1",
			Reference: Reference{"batch log", "MIX-1"},
			Inputs:    []LotQuantity{{"FLOUR-A", Quantity{100, "kg"}}, {"SALT-A", Quantity{2, "kg"}}},
			Outputs:   []NewLot{{Code: "DOUGH-1", Product: "DOUGH", Quantity: Quantity{100, "kg"}}},
		}, "07577b11d03a55478a4b95a6de24468c"},
		{"shipment, awkward strings, ns and tiny floats", &Shipment{
			ID: "SH-1", Customer: Customer{ID: "CUST-1", Name: "Corner <Store> & Co", Location: "Main St\u2028"},
			ShippedAt: time.Date(2026, 10, 5, 9, 30, 0, 123456789, time.UTC), From: "BAKERY-1",
			Reference: Reference{"BOL", "BOL-1"},
			Lines:     []LotQuantity{{"FG-1", Quantity{0.1, "case"}}, {"FG-2", Quantity{1e-7, "case"}}},
		}, "beb272bad7131cae3b0145ec0ca41614"},
		{"empty receipt", &Receipt{}, "b8da9dcca582a69739127f91bc5bc11c"},
		{"empty production (nil slices)", &Production{}, "0e90717e61b485df6bdf6dbf999eb5b3"},
		{"production with empty slices", &Production{Inputs: []LotQuantity{}, Outputs: []NewLot{}}, "6665f9a4cf6d9046516184f32400b8b8"},
	}
}

func TestFingerprintGolden(t *testing.T) {
	for _, c := range goldenEvents() {
		if got := c.ev.Fingerprint(); got != c.want {
			t.Errorf("%s: fingerprint %s, want %s (a changed fingerprint turns every resend of stored data into a conflict)", c.name, got, c.want)
		}
	}
}

// Version 1 of the canonical encoding, as json.Marshal wrote it: these mirrors carry the tags
// the event types had when fingerprints were first stored. They live here, not on the domain
// types, so that retagging or renaming a domain field cannot change what version 1 means.
type (
	v1Quantity struct {
		Amount float64 `json:"amount"`
		Unit   string  `json:"unit"`
	}
	v1Reference struct {
		Type   string `json:"type"`
		Number string `json:"number"`
	}
	v1Supplier struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Location string `json:"location"`
	}
	v1Customer struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Location string `json:"location"`
		Contact  string `json:"contact"`
	}
	v1NewLot struct {
		Code        string     `json:"code"`
		Product     string     `json:"product"`
		Description string     `json:"description"`
		Quantity    v1Quantity `json:"quantity"`
		SupplierLot string     `json:"supplier_lot"`
		ExpiresAt   string     `json:"expires_at"`
	}
	v1LotQuantity struct {
		Lot      string     `json:"lot"`
		Quantity v1Quantity `json:"quantity"`
	}
	v1Batch struct {
		ID   string `json:"id"`
		Line string `json:"line"`
	}
	v1Receipt struct {
		Lot        v1NewLot    `json:"lot"`
		Supplier   v1Supplier  `json:"supplier"`
		ReceivedAt time.Time   `json:"received_at"`
		Location   string      `json:"location"`
		TLCSource  string      `json:"tlc_source"`
		Reference  v1Reference `json:"reference"`
	}
	v1Production struct {
		Batch      v1Batch         `json:"batch"`
		ProducedAt time.Time       `json:"produced_at"`
		Location   string          `json:"location"`
		TLCSource  string          `json:"tlc_source"`
		Reference  v1Reference     `json:"reference"`
		Inputs     []v1LotQuantity `json:"inputs"`
		Outputs    []v1NewLot      `json:"outputs"`
	}
	v1Shipment struct {
		ID        string          `json:"id"`
		Customer  v1Customer      `json:"customer"`
		ShippedAt time.Time       `json:"shipped_at"`
		From      string          `json:"from"`
		Reference v1Reference     `json:"reference"`
		Lines     []v1LotQuantity `json:"lines"`
	}
)

func v1Qty(q Quantity) v1Quantity   { return v1Quantity{q.Amount, q.Unit} }
func v1Ref(r Reference) v1Reference { return v1Reference{r.Type, r.Number} }
func v1Lot(l NewLot) v1NewLot {
	return v1NewLot{string(l.Code), l.Product, l.Description, v1Qty(l.Quantity), l.SupplierLot, l.ExpiresAt}
}

func v1Lines(ls []LotQuantity) []v1LotQuantity {
	if ls == nil {
		return nil
	}
	out := make([]v1LotQuantity, len(ls))
	for i, l := range ls {
		out[i] = v1LotQuantity{string(l.Lot), v1Qty(l.Quantity)}
	}
	return out
}

// v1Of is the mirror of ev, field by field.
func v1Of(ev Event) any {
	switch e := ev.(type) {
	case *Receipt:
		return v1Receipt{v1Lot(e.Lot), v1Supplier{string(e.Supplier.ID), e.Supplier.Name, e.Supplier.Location},
			e.ReceivedAt, e.Location, e.TLCSource, v1Ref(e.Reference)}
	case *Production:
		var outs []v1NewLot
		if e.Outputs != nil {
			outs = make([]v1NewLot, len(e.Outputs))
			for i, o := range e.Outputs {
				outs[i] = v1Lot(o)
			}
		}
		return v1Production{v1Batch{string(e.Batch.ID), e.Batch.Line}, e.ProducedAt, e.Location, e.TLCSource,
			v1Ref(e.Reference), v1Lines(e.Inputs), outs}
	case *Shipment:
		return v1Shipment{string(e.ID), v1Customer{string(e.Customer.ID), e.Customer.Name, e.Customer.Location, e.Customer.Contact},
			e.ShippedAt, e.From, v1Ref(e.Reference), v1Lines(e.Lines)}
	}
	panic(fmt.Sprintf("unknown event %T", ev))
}

func canonicalBytes(ev Event) []byte {
	var c canon
	switch e := ev.(type) {
	case *Receipt:
		e.canonical(&c)
	case *Production:
		e.canonical(&c)
	case *Shipment:
		e.canonical(&c)
	}
	return c.buf.Bytes()
}

// randomEvents makes events with awkward leaves: strings JSON escapes (HTML characters,
// U+2028, control characters, invalid UTF-8), extreme floats, zoned times with nanoseconds,
// nil and empty slices.
type randomEvents struct{ r *rand.Rand }

func (g randomEvents) str() string {
	parts := []string{"", "a", "FLOUR-A", "<&>", "\u2028", "\u2029", "\x00\x1f", "\"\\/", "\xff\xfe", "é€😀", "\t\n\r", "\xed\xa0\x80", "urn:epc:id:sgtin:0614141.107346.2018"}
	var b strings.Builder
	for range g.r.IntN(4) {
		b.WriteString(parts[g.r.IntN(len(parts))])
	}
	return b.String()
}

func (g randomEvents) float() float64 {
	fs := []float64{0, 1, 0.1, 1e-7, 1e-6, 1e20, 1e21, 2.5e-320, math.MaxFloat64, math.SmallestNonzeroFloat64, -0.0, 123456.789, 1.0 / 3}
	if g.r.IntN(3) == 0 {
		return g.r.Float64() * math.Pow(10, float64(g.r.IntN(60)-30))
	}
	return fs[g.r.IntN(len(fs))]
}

func (g randomEvents) time() time.Time {
	zones := []*time.Location{time.UTC, time.FixedZone("", 5*3600+30*60), time.FixedZone("X", -7*3600), time.FixedZone("", 0)}
	return time.Unix(g.r.Int64N(1<<36)-1<<35, g.r.Int64N(1e9)).In(zones[g.r.IntN(len(zones))])
}

func (g randomEvents) qty() Quantity  { return Quantity{g.float(), g.str()} }
func (g randomEvents) ref() Reference { return Reference{g.str(), g.str()} }
func (g randomEvents) lot() NewLot {
	return NewLot{LotCode(g.str()), g.str(), g.str(), g.qty(), g.str(), g.str()}
}

func (g randomEvents) lines() []LotQuantity {
	switch g.r.IntN(4) {
	case 0:
		return nil
	case 1:
		return []LotQuantity{}
	}
	ls := make([]LotQuantity, 1+g.r.IntN(3))
	for i := range ls {
		ls[i] = LotQuantity{LotCode(g.str()), g.qty()}
	}
	return ls
}

func (g randomEvents) event() Event {
	switch g.r.IntN(3) {
	case 0:
		return &Receipt{g.lot(), Supplier{SupplierID(g.str()), g.str(), g.str()}, g.time(), g.str(), g.str(), g.ref()}
	case 1:
		var outs []NewLot
		switch g.r.IntN(4) {
		case 0:
		case 1:
			outs = []NewLot{}
		default:
			for range 1 + g.r.IntN(3) {
				outs = append(outs, g.lot())
			}
		}
		return &Production{Batch{BatchID(g.str()), g.str()}, g.time(), g.str(), g.str(), g.ref(), g.lines(), outs}
	default:
		return &Shipment{ShipmentID(g.str()), Customer{CustomerID(g.str()), g.str(), g.str(), g.str()}, g.time(), g.str(), g.ref(), g.lines()}
	}
}

func TestCanonicalIsTheJSONOfVersion1(t *testing.T) {
	g := randomEvents{rand.New(rand.NewPCG(13, 1))}
	for i := range 5000 {
		ev := g.event()
		want, err := json.Marshal(v1Of(ev))
		if err != nil {
			t.Fatal(err)
		}
		if got := canonicalBytes(ev); !bytes.Equal(got, want) {
			t.Fatalf("event %d (%T): canonical encoding\n%s\nwant version 1\n%s", i, ev, got, want)
		}
	}
}

func BenchmarkFingerprint(b *testing.B) {
	events := goldenEvents()
	b.Run("canonical", func(b *testing.B) {
		for range b.N {
			for _, c := range events {
				_ = c.ev.Fingerprint()
			}
		}
	})
	b.Run("json.Marshal", func(b *testing.B) {
		for range b.N {
			for _, c := range events {
				j, _ := json.Marshal(v1Of(c.ev))
				sum := sha256.Sum256(j)
				_ = hex.EncodeToString(sum[:16])
			}
		}
	})
}
