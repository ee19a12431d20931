package test

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lot-trace/lot-trace/api"
)

func TestFSMAProducts(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := tag(t)
	id := tg + "MOZZ"
	status, raw := c.do(http.MethodPut, "/api/v1/products/"+id, "application/json", `{"description": "Mozzarella", "ftl_category": "cheese_soft_ripened"}`)
	if status != http.StatusCreated {
		t.Fatalf("put: %d %s", status, raw)
	}
	got := decodeObject(t, raw)
	if got["ftl_category"] != "cheese_soft_ripened" || got["ftl_name"] != "Cheese (made from pasteurized milk), soft ripened or semi-soft" || got["id"] != id {
		t.Errorf("put answered %v", got)
	}
	if status, raw = c.do(http.MethodPut, "/api/v1/products/"+id, "application/json", `{"description": "Mozzarella 250 g"}`); status != http.StatusOK {
		t.Fatalf("replace: %d %s", status, raw)
	}
	status, raw = c.do(http.MethodGet, "/api/v1/products/"+id, "", "")
	got = decodeObject(t, raw)
	if status != http.StatusOK || got["description"] != "Mozzarella 250 g" || got["ftl_category"] != nil {
		t.Errorf("get: %d %v (the category was left out, so it is gone)", status, got)
	}
	for _, bad := range []struct {
		body   string
		status int
		field  string
	}{
		{`{"ftl_category": "flour"}`, http.StatusUnprocessableEntity, "ftl_category"},
		{`{"description": "x", "category": "shell_eggs"}`, http.StatusBadRequest, ""},
		{`{"description": null}`, http.StatusBadRequest, "description"},
		{`{"description": "a\u0000b"}`, http.StatusUnprocessableEntity, "description"},
	} {
		status, raw := c.do(http.MethodPut, "/api/v1/products/"+tg+"BAD", "application/json", bad.body)
		if status != bad.status || (bad.field != "" && !slices.Contains(problemFields(decodeObject(t, raw)), bad.field)) {
			t.Errorf("%s: %d %s, want %d naming %q", bad.body, status, raw, bad.status, bad.field)
		}
	}
	if status, _ := c.do(http.MethodGet, "/api/v1/products/"+tg+"BAD", "", ""); status != http.StatusNotFound {
		t.Errorf("a refused product was stored (or an unknown one is not a 404): %d", status)
	}
}

func TestFSMARecordsBadRequests(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	for q, field := range map[string]string{
		"from=2026-01-01":                         "product",
		"product=X&from=2026-13-01":               "from",
		"product=X&to=yesterday":                  "to",
		"food=flour":                              "food",
		"product=X&from=2026-03-02&to=2026-03-01": "to",
		"product=X&format=pdf":                    "format",
		"tlc=X&from=2026-03-01T00:00:00":          "from",
		"food=shell_eggs&to=2026-02-30":           "to",
	} {
		for _, route := range []string{"/api/v1/fsma/records?", "/api/v1/fsma/completeness?"} {
			if route == "/api/v1/fsma/completeness?" && (field == "product" || q == "product=X&format=pdf") {
				continue // no scope is the whole history there; pdf is checked on records
			}
			status, raw := c.do(http.MethodGet, route+q, "", "")
			if status != http.StatusBadRequest || !slices.Contains(problemFields(decodeObject(t, raw)), field) {
				t.Errorf("%s%s: %d %s, want 400 naming %s", route, q, status, raw, field)
			}
		}
	}
}

// recordsJSON fetches a records request as JSON.
func recordsJSON(t *testing.T, c *apiClient, q string) (keys []string, rows []map[string]any, counts map[string]any) {
	t.Helper()
	status, raw := c.do(http.MethodGet, "/api/v1/fsma/records?"+q, "", "")
	if status != http.StatusOK {
		t.Fatalf("records %s: %d %s", q, status, raw)
	}
	var answer struct {
		Records []map[string]any `json:"records"`
		Counts  map[string]any   `json:"counts"`
	}
	if err := json.Unmarshal(raw, &answer); err != nil {
		t.Fatalf("records %s: %v: %s", q, err, raw)
	}
	for _, r := range answer.Records {
		line, _ := r["line"].(float64)
		role, _ := r["role"].(string)
		keys = append(keys, r["cte"].(string)+"|"+r["event_id"].(string)+"|"+role+"|"+strconv.Itoa(int(line))+"|"+r["tlc"].(string))
	}
	return keys, answer.Records, answer.Counts
}

// The rows a records request returns are exactly the records whose lots are in scope and whose
// dates are in range, in order, for random histories and random scopes, worked out in Go.
func TestFSMARecordsProperty(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 15))
	for range 3 {
		tg := tag(t)
		year := 3000 + rng.IntN(6000)
		h := randomFSMAHistory(tg, rng, year)
		h.load(t, c)
		products := slices.Sorted(func(yield func(string) bool) {
			for p := range h.products {
				if !yield(p) {
					return
				}
			}
		})
		lots := slices.Sorted(func(yield func(string) bool) {
			for l := range h.lots {
				if !yield(l) {
					return
				}
			}
		})
		for i := range 16 {
			var s fScope
			switch i % 4 {
			case 0:
				s.products = []string{products[rng.IntN(len(products))]}
			case 1:
				s.food = []string{"shell_eggs", "nut_butters", "cheese_soft_ripened"}[rng.IntN(3)]
			case 2:
				s.tlcs = []string{lots[rng.IntN(len(lots))], lots[rng.IntN(len(lots))], lots[rng.IntN(len(lots))]}
				if i == 2 {
					s.tlcs[2] = s.tlcs[0] // a lot named twice is one lot: its records once
				}
			case 3:
				s.products = []string{products[rng.IntN(len(products))], products[rng.IntN(len(products))]}
				s.tlcs = []string{lots[rng.IntN(len(lots))]}
			}
			base := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
			s.from = base.Add(time.Duration(rng.IntN(40*24)) * time.Hour)
			s.to = s.from.Add(time.Duration(rng.IntN(60*24)) * time.Hour)
			if i == 0 {
				s.from, s.to = base, base.AddDate(1, 0, 0) // the whole history
			}
			want := h.expected(s)
			var wantKeys []string
			for _, cte := range []string{"shipping", "receiving", "transformation"} {
				for _, r := range want[cte] {
					wantKeys = append(wantKeys, r.key())
				}
			}
			got, rows, counts := recordsJSON(t, c, s.query())
			if !slices.Equal(got, wantKeys) {
				t.Errorf("%s: rows\n%v\nwant\n%v", s.query(), strings.Join(got, "\n"), strings.Join(wantKeys, "\n"))
			}
			if counts["total"] != float64(len(wantKeys)) || counts["receiving"] != float64(len(want["receiving"])) {
				t.Errorf("%s: counts %v, want %d (%d receipts)", s.query(), counts, len(wantKeys), len(want["receiving"]))
			}
			for j, r := range rows {
				if j < len(wantKeys) && got[j] == wantKeys[j] {
					if in, _ := r["in_scope"].(bool); in != wantRow(want, got[j]).inScope {
						t.Errorf("%s: %s in_scope %v", s.query(), got[j], in)
					}
				}
			}
		}
	}
}

func wantRow(want map[string][]fRow, key string) fRow {
	for _, rows := range want {
		for _, r := range rows {
			if r.key() == key {
				return r
			}
		}
	}
	return fRow{}
}

// The XLSX of a records request, read back with excelize, holds every recorded event line of
// the scope, cell by cell, on the tab of its CTE, with the Request and Definitions tabs.
func TestFSMARecordsXLSXCellByCell(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	_, year, h := seededHistory(t, c, 7)
	var s fScope
	for p, cat := range h.products {
		if cat == "shell_eggs" || cat == "" {
			s.products = append(s.products, p)
		}
	}
	slices.Sort(s.products)
	s.from, s.to = time.Date(year, 1, 10, 0, 0, 0, 0, time.UTC), time.Date(year, 2, 20, 0, 0, 0, 0, time.UTC)
	want := h.expected(s)
	if len(want["receiving"]) == 0 || len(want["transformation"]) == 0 || len(want["shipping"]) == 0 {
		t.Fatalf("the fixed history should have rows of every CTE in scope: %d %d %d", len(want["receiving"]), len(want["transformation"]), len(want["shipping"]))
	}
	d := c.get("/api/v1/fsma/records?"+s.query()+"&format=xlsx", "")
	f, _ := xlsxCells(t, d, "Shipping")
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Shipping", "Receiving", "Transformation", "Request", "Definitions"}) {
		t.Errorf("tabs %v", got)
	}
	for _, tab := range []struct{ name, cte string }{{"Shipping", "shipping"}, {"Receiving", "receiving"}, {"Transformation", "transformation"}} {
		rows, err := f.GetRows(tab.name)
		if err != nil {
			t.Fatal(err)
		}
		header := rows[0]
		if len(rows)-1 != len(want[tab.cte]) {
			t.Errorf("%s: %d rows, want %d", tab.name, len(rows)-1, len(want[tab.cte]))
		}
		for i, w := range want[tab.cte] {
			if i+1 >= len(rows) {
				break
			}
			row := rows[i+1]
			for j, h := range header {
				got := ""
				if j < len(row) {
					got = row[j]
				}
				exp, ok := w.cell(h)
				if !ok {
					t.Errorf("%s: unexpected column %q", tab.name, h)
					continue
				}
				if got != exp {
					t.Errorf("%s row %d (%s) column %q: %q, want %q", tab.name, i+2, w.key(), h, got, exp)
				}
			}
			// Dates are date cells (numbers), not text.
			col := slices.Index(header, "Event date (UTC)") + 1
			ref, _ := excelize.CoordinatesToCellName(col, i+2)
			if typ, _ := f.GetCellType(tab.name, ref); typ == excelize.CellTypeInlineString || typ == excelize.CellTypeSharedString {
				t.Errorf("%s %s: the date is text", tab.name, ref)
			}
		}
	}
	request, _ := f.GetRows("Request")
	info := map[string]string{}
	for _, r := range request {
		if len(r) == 2 {
			info[r[0]] = r[1]
		}
	}
	total := len(want["shipping"]) + len(want["receiving"]) + len(want["transformation"])
	if info["Records: Shipping"] != strconv.Itoa(len(want["shipping"])) || info["Records: all"] != strconv.Itoa(total) ||
		info["Products"] != strings.Join(s.products, ", ") || !strings.HasPrefix(info["Requested with the API key"], "anonymous") {
		t.Errorf("Request tab %v", info)
	}
	defs, _ := f.GetRows("Definitions")
	documented := map[string]bool{}
	for _, r := range defs {
		if len(r) == 3 && r[2] != "" {
			documented[r[0]+"/"+r[1]] = true
		}
	}
	for _, tab := range []string{"Shipping", "Receiving", "Transformation"} {
		rows, _ := f.GetRows(tab)
		for _, h := range rows[0] {
			if !documented[tab+"/"+h] {
				t.Errorf("%s column %q is not explained", tab, h)
			}
		}
	}
	// The CSV is one table with every KDE column, the CTEs one after the other.
	cells := csvCells(t, c.get("/api/v1/fsma/records?"+s.query()+"&format=csv", ""))
	if len(cells)-1 != total || cells[0][0] != "Event type (CTE)" || cells[0][len(cells[0])-1] != "In request scope" {
		t.Errorf("csv: %d rows (want %d), header %v", len(cells)-1, total, cells[0])
	}
}

// cell is what the XLSX shows in the column for the record.
func (r fRow) cell(header string) (string, bool) {
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	line := ""
	if r.line > 0 {
		line = strconv.Itoa(r.line)
	}
	yes := "no"
	if r.inScope {
		yes = "yes"
	}
	source, recip := "", ""
	if r.source != "" {
		source = r.source + " Co."
	}
	if r.recip != "" {
		recip = r.recip + " Shop"
	}
	v, ok := map[string]string{
		"Event type (CTE)": r.cte, "Transformation role": r.role, "Event ID": r.event, "Line": line,
		"Traceability lot code (TLC)": r.lot, "Product": r.product, "Product description": r.desc,
		"Quantity": num(r.qty), "Unit of measure": r.unit, "Event date (UTC)": r.at.UTC().Format("2006-01-02 15:04:05"),
		"Location": r.loc, "Immediate previous source ID": r.source, "Immediate previous source": source,
		"Immediate previous source location": r.sourceL, "Immediate subsequent recipient ID": r.recip,
		"Immediate subsequent recipient": recip, "Immediate subsequent recipient location": r.recipL,
		"TLC source or TLC source reference": r.tlcSource, "Reference document type": r.ref[0],
		"Reference document number": r.ref[1], "Transformation inputs (TLC: quantity used)": r.inputs,
		"Supplier lot code": "", "Expiry date": "", "In request scope": yes,
	}[header]
	return v, ok
}
