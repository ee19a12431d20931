package test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A history for the FDA records request's tests, kept in Go as well as posted to the service,
// so that what a request must return can be worked out here, independently of the service's
// statements (records): the records whose lots are in scope and whose dates are in range.

type fReceipt struct {
	lot, product, desc  string
	qty                 float64
	unit                string
	supplier, supplierL string
	at                  time.Time
	loc                 string
	ref                 [2]string
}

type fLine struct {
	lot  string
	qty  float64
	unit string
}

type fOut struct {
	lot, product, desc string
	qty                float64
	unit               string
}

type fProduction struct {
	batch   string
	at      time.Time
	loc     string
	inputs  []fLine
	outputs []fOut
}

type fShipment struct {
	id, customer, customerL string
	at                      time.Time
	from                    string
	ref                     [2]string
	lines                   []fLine
}

type fHistory struct {
	products    map[string]string // product id → FTL category ("" unlisted)
	receipts    []fReceipt
	productions []fProduction
	shipments   []fShipment
	lots        map[string]string // lot code → product
}

func (h *fHistory) ndjson() string {
	var lines []string
	add := func(v any) {
		b, _ := json.Marshal(v)
		lines = append(lines, string(b))
	}
	type ev struct {
		at time.Time
		v  any
	}
	var evs []ev
	for _, r := range h.receipts {
		lot := map[string]any{"code": r.lot, "product": r.product, "quantity": r.qty, "unit": r.unit}
		if r.desc != "" {
			lot["description"] = r.desc
		}
		evs = append(evs, ev{r.at, map[string]any{"type": "receipt", "lot": lot,
			"supplier":    map[string]any{"id": r.supplier, "name": r.supplier + " Co.", "location": r.supplierL},
			"received_at": r.at.Format(time.RFC3339), "location": r.loc,
			"reference": map[string]any{"type": r.ref[0], "number": r.ref[1]}}})
	}
	for _, p := range h.productions {
		var ins, outs []any
		for _, in := range p.inputs {
			ins = append(ins, map[string]any{"lot": in.lot, "quantity": in.qty, "unit": in.unit})
		}
		for _, o := range p.outputs {
			out := map[string]any{"code": o.lot, "product": o.product, "quantity": o.qty, "unit": o.unit}
			if o.desc != "" {
				out["description"] = o.desc
			}
			outs = append(outs, out)
		}
		evs = append(evs, ev{p.at, map[string]any{"type": "production", "batch": map[string]any{"id": p.batch},
			"produced_at": p.at.Format(time.RFC3339), "location": p.loc, "inputs": ins, "outputs": outs}})
	}
	for _, s := range h.shipments {
		var ls []any
		for _, l := range s.lines {
			ls = append(ls, map[string]any{"lot": l.lot, "quantity": l.qty, "unit": l.unit})
		}
		evs = append(evs, ev{s.at, map[string]any{"type": "shipment", "id": s.id,
			"customer":   map[string]any{"id": s.customer, "name": s.customer + " Shop", "location": s.customerL},
			"shipped_at": s.at.Format(time.RFC3339), "from": s.from,
			"reference": map[string]any{"type": s.ref[0], "number": s.ref[1]}, "lines": ls}})
	}
	slices.SortStableFunc(evs, func(a, b ev) int { return a.at.Compare(b.at) })
	for _, e := range evs {
		add(e.v)
	}
	return strings.Join(lines, "\n") + "\n"
}

// load posts the products and the events.
func (h *fHistory) load(t *testing.T, c *apiClient) {
	t.Helper()
	for id, cat := range h.products {
		body := `{"description": "` + id + ` product"}`
		if cat != "" {
			body = `{"description": "` + id + ` product", "ftl_category": "` + cat + `"}`
		}
		if status, raw := c.do(http.MethodPut, "/api/v1/products/"+id, "application/json", body); status != http.StatusCreated {
			t.Fatalf("product %s: %d %s", id, status, raw)
		}
	}
	status, raw := c.do(http.MethodPost, "/api/v1/events", "application/x-ndjson", h.ndjson())
	answer := decodeObject(t, raw)
	want := float64(len(h.receipts) + len(h.productions) + len(h.shipments))
	if status != http.StatusOK || answer["accepted"] != want {
		t.Fatalf("loading the history: %d %s", status, raw)
	}
}

// fScope is a request's scope, as the test states it.
type fScope struct {
	products []string
	food     string
	tlcs     []string
	from, to time.Time // inclusive
}

func (s fScope) query() string {
	q := []string{}
	if len(s.products) > 0 {
		q = append(q, "product="+strings.Join(s.products, "|"))
	}
	if s.food != "" {
		q = append(q, "food="+s.food)
	}
	if len(s.tlcs) > 0 {
		q = append(q, "tlc="+strings.Join(s.tlcs, "|"))
	}
	q = append(q, "from="+s.from.UTC().Format(time.RFC3339), "to="+s.to.UTC().Format(time.RFC3339))
	return strings.Join(q, "&")
}

func (h *fHistory) inScope(s fScope, lot string) bool {
	p := h.lots[lot]
	return slices.Contains(s.tlcs, lot) || slices.Contains(s.products, p) || (s.food != "" && h.products[p] == s.food)
}

func inRange(s fScope, t time.Time) bool { return !t.Before(s.from) && !t.After(s.to) }

// fRow is one expected record, by the spreadsheet's columns (as shown in the XLSX).
type fRow struct {
	cte, role, event string
	line             int
	lot, product     string
	desc             string
	qty              float64
	unit             string
	at               time.Time
	loc              string
	source, sourceL  string
	recip, recipL    string
	tlcSource        string
	ref              [2]string
	inputs           string
	inScope          bool
}

func (r fRow) key() string {
	return fmt.Sprintf("%s|%s|%s|%d|%s", r.cte, r.event, r.role, r.line, r.lot)
}

// expected works out the records of a request: per CTE, in the statements' order.
func (h *fHistory) expected(s fScope) map[string][]fRow {
	out := map[string][]fRow{}
	for _, r := range h.receipts {
		if h.inScope(s, r.lot) && inRange(s, r.at) {
			out["receiving"] = append(out["receiving"], fRow{cte: "receiving", event: r.lot, lot: r.lot, product: r.product,
				desc: r.desc, qty: r.qty, unit: r.unit, at: r.at, loc: r.loc, source: r.supplier, sourceL: r.supplierL,
				tlcSource: r.supplierL, ref: r.ref, inScope: true})
		}
	}
	for _, p := range h.productions {
		if !inRange(s, p.at) {
			continue
		}
		involved := false
		for _, in := range p.inputs {
			involved = involved || h.inScope(s, in.lot)
		}
		for _, o := range p.outputs {
			involved = involved || h.inScope(s, o.lot)
		}
		if !involved {
			continue
		}
		var inputs []string
		for i, in := range p.inputs {
			inputs = append(inputs, fmt.Sprintf("%s: %s %s", in.lot, strconv.FormatFloat(in.qty, 'f', -1, 64), in.unit))
			out["transformation"] = append(out["transformation"], fRow{cte: "transformation", role: "input", event: p.batch,
				line: i + 1, lot: in.lot, product: h.lots[in.lot], desc: h.descOf(in.lot), qty: in.qty, unit: in.unit, at: p.at,
				loc: p.loc, tlcSource: h.tlcSourceOf(in.lot), ref: [2]string{"batch log", p.batch}, inScope: h.inScope(s, in.lot)})
		}
		for i, o := range p.outputs {
			out["transformation"] = append(out["transformation"], fRow{cte: "transformation", role: "output", event: p.batch,
				line: i + 1, lot: o.lot, product: o.product, desc: o.desc, qty: o.qty, unit: o.unit, at: p.at, loc: p.loc,
				tlcSource: p.loc, ref: [2]string{"batch log", p.batch}, inputs: strings.Join(inputs, "; "), inScope: h.inScope(s, o.lot)})
		}
	}
	for _, sh := range h.shipments {
		if !inRange(s, sh.at) {
			continue
		}
		for i, l := range sh.lines {
			if h.inScope(s, l.lot) {
				out["shipping"] = append(out["shipping"], fRow{cte: "shipping", event: sh.id, line: i + 1, lot: l.lot,
					product: h.lots[l.lot], desc: h.descOf(l.lot), qty: l.qty, unit: l.unit, at: sh.at, loc: sh.from,
					recip: sh.customer, recipL: sh.customerL, tlcSource: h.tlcSourceOf(l.lot), ref: sh.ref, inScope: true})
			}
		}
	}
	for _, rows := range out {
		slices.SortStableFunc(rows, func(a, b fRow) int {
			if c := a.at.Compare(b.at); c != 0 {
				return c
			}
			if c := strings.Compare(a.event, b.event); c != 0 {
				return c
			}
			if c := strings.Compare(a.role, b.role); c != 0 {
				return c
			}
			if a.line != b.line {
				return a.line - b.line
			}
			return strings.Compare(a.lot, b.lot)
		})
	}
	return out
}

// origin is what the lot's receipt or production recorded: its description and TLC source.
func (h *fHistory) origin(lot string) (desc, tlcSource string) {
	for _, r := range h.receipts {
		if r.lot == lot {
			return r.desc, r.supplierL
		}
	}
	for _, p := range h.productions {
		for _, o := range p.outputs {
			if o.lot == lot {
				return o.desc, p.loc
			}
		}
	}
	return "", ""
}

func (h *fHistory) descOf(lot string) string      { d, _ := h.origin(lot); return d }
func (h *fHistory) tlcSourceOf(lot string) string { _, s := h.origin(lot); return s }

// randomFSMAHistory makes a small random bakery in its own year (so that no other test's records
// fall in its date ranges): receipts of listed and unlisted ingredients, productions that
// consume earlier lots and make new ones, shipments of made lots. Every lot is counted in kg.
func randomFSMAHistory(tg string, rng *rand.Rand, year int) *fHistory {
	h := &fHistory{products: map[string]string{}, lots: map[string]string{}}
	cats := []string{"shell_eggs", "nut_butters", "cheese_soft_ripened", "", ""}
	var products []string
	for i := range 5 {
		p := fmt.Sprintf("%sP%d", tg, i)
		h.products[p] = cats[i]
		products = append(products, p)
	}
	start := time.Date(year, 1, 1, 6, 0, 0, 0, time.UTC)
	var lots []string
	at := start
	n := 0
	for range 40 {
		at = at.Add(time.Duration(1+rng.IntN(48)) * time.Hour)
		n++
		switch k := rng.IntN(10); {
		case k < 4 || len(lots) < 3:
			lot := fmt.Sprintf("%sL%d", tg, n)
			p := products[rng.IntN(len(products))]
			h.receipts = append(h.receipts, fReceipt{lot: lot, product: p, desc: "ingredient " + lot, qty: float64(100 + rng.IntN(900)),
				unit: "kg", supplier: tg + "SUP", supplierL: "Mill Road", at: at, loc: "BAKERY-1", ref: [2]string{"PO", "PO-" + strconv.Itoa(n)}})
			h.lots[lot] = p
			lots = append(lots, lot)
		case k < 8:
			b := fmt.Sprintf("%sB%d", tg, n)
			pr := fProduction{batch: b, at: at, loc: "BAKERY-1"}
			used := map[string]bool{}
			for range 1 + rng.IntN(3) {
				l := lots[rng.IntN(len(lots))]
				if !used[l] {
					used[l] = true
					pr.inputs = append(pr.inputs, fLine{lot: l, qty: float64(1 + rng.IntN(9)), unit: "kg"})
				}
			}
			for j := range 1 + rng.IntN(2) {
				lot := fmt.Sprintf("%sM%d-%d", tg, n, j)
				p := products[rng.IntN(len(products))]
				pr.outputs = append(pr.outputs, fOut{lot: lot, product: p, desc: "made " + lot, qty: float64(10 + rng.IntN(90)), unit: "kg"})
				h.lots[lot] = p
				lots = append(lots, lot)
			}
			h.productions = append(h.productions, pr)
		default:
			sh := fShipment{id: fmt.Sprintf("%sS%d", tg, n), customer: tg + "CUST", customerL: "Main St", at: at, from: "BAKERY-1",
				ref: [2]string{"BOL", "BOL-" + strconv.Itoa(n)}}
			used := map[string]bool{}
			for range 1 + rng.IntN(3) {
				l := lots[rng.IntN(len(lots))]
				if !used[l] {
					used[l] = true
					sh.lines = append(sh.lines, fLine{lot: l, qty: 1, unit: "kg"})
				}
			}
			h.shipments = append(h.shipments, sh)
		}
	}
	return h
}

// seededHistory posts a random history made from seed, in a year of its own, through c.
func seededHistory(t *testing.T, c *apiClient, seed uint64) (tg string, year int, h *fHistory) {
	t.Helper()
	tg, year = tag(t), 3000+rand.IntN(6000)
	h = randomFSMAHistory(tg, rand.New(rand.NewPCG(seed, 15)), year)
	h.load(t, c)
	return tg, year, h
}
