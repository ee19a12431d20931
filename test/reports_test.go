package test

import (
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/graph"
)

type allocation struct {
	Exposure       *float64 `json:"exposure"`
	Share          *float64 `json:"share"`
	NotAllocatable string   `json:"not_allocatable"`
}

type exposureAnswer struct {
	Lot      string
	Quantity float64
	Unit     string
	Method   string
	Lots     []struct {
		Lot   string
		Level int
		allocation
	}
	Shipments []struct {
		ID  string
		Lot string
		allocation
	}
}

// Exposure of FLOUR-A, worked by hand (see graph/exposure_test.go for the working): of the
// 100 kg that went into DOUGH-1, FG-1 holds 33.33, FG-2 16.67, FG-3 50 + 1.67.
func TestExposureOfFlour(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	status, raw := c.do(http.MethodGet, "/api/v1/lots/"+tg+"FLOUR-A/exposure", "", "")
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, raw)
	}
	compareGolden(t, "exposure_flour", tg, raw)
	var x exposureAnswer
	if err := json.Unmarshal(raw, &x); err != nil {
		t.Fatal(err)
	}
	if x.Quantity != 1000 || x.Unit != "kg" || !strings.Contains(x.Method, "in proportion to each output's quantity") {
		t.Errorf("source %v %s, method %q", x.Quantity, x.Unit, x.Method)
	}
	want := map[string]float64{"FLOUR-A": 1000, "DOUGH-1": 100, "FG-1": 100.0 / 3, "FG-2": 50.0 / 3, "FG-3": 50 + 5.0/3,
		"SH-1": 40.0 / 3, "SH-2": 10, "SH-3": 20.0 / 3, "SH-4": 50 + 5.0/3}
	got := map[string]*float64{}
	for _, l := range x.Lots {
		got[strings.TrimPrefix(l.Lot, tg)] = l.Exposure
	}
	for _, s := range x.Shipments {
		got[strings.TrimPrefix(s.ID, tg)] = s.Exposure
	}
	for k, w := range want {
		if got[k] == nil || math.Abs(*got[k]-w) > 1e-9 {
			t.Errorf("exposure of %s = %v, want %.6f kg", k, got[k], w)
		}
	}
	if status, _ := c.do(http.MethodGet, "/api/v1/lots/"+tg+"NOPE/exposure", "", ""); status != http.StatusNotFound {
		t.Errorf("unknown lot: %d, want 404", status)
	}
}

// A batch with outputs in different units: the answer says so per lot instead of guessing.
func TestExposureNotAllocatable(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := tag(t)
	events := tagged(tg, ndjson(
		`{"type": "receipt", "lot": {"code": "{T}OIL", "product": "OIL", "quantity": 100, "unit": "l"},
		  "supplier": {"id": "{T}SUP", "name": "S", "location": "X"}, "received_at": "2026-10-01T07:00:00Z", "location": "P",
		  "reference": {"type": "PO", "number": "1"}}`,
		`{"type": "production", "batch": {"id": "{T}PRESS"}, "produced_at": "2026-10-02T07:00:00Z", "location": "P",
		  "inputs": [{"lot": "{T}OIL", "quantity": 50, "unit": "l"}],
		  "outputs": [{"code": "{T}CAKE", "product": "CAKE", "quantity": 40, "unit": "kg"}, {"code": "{T}JAR", "product": "JAR", "quantity": 100, "unit": "each"}]}`,
	))
	if status, raw := c.do(http.MethodPost, "/api/v1/events", "application/x-ndjson", events); status != http.StatusOK {
		t.Fatalf("%d %s", status, raw)
	}
	_, raw := c.do(http.MethodGet, "/api/v1/lots/"+tg+"OIL/exposure", "", "")
	var x exposureAnswer
	if err := json.Unmarshal(raw, &x); err != nil {
		t.Fatal(err)
	}
	for _, l := range x.Lots {
		bad := l.Lot != tg+"OIL"
		if bad != (l.NotAllocatable != "") || bad != (l.Exposure == nil) {
			t.Errorf("%s: %+v, want not allocatable = %v", l.Lot, l.allocation, bad)
		}
	}
	if !strings.Contains(string(raw), `"not_allocatable":"batch `+tg+`PRESS made outputs in different units (each, kg)`) {
		t.Errorf("no reason naming the batch and units: %s", raw)
	}
}

type balanceAnswer struct {
	Tolerance struct{ Low, High float64 }
	Closed    bool
	Flagged   int
	Lots      []struct {
		Lot                 string
		Status              string
		MoreLeftThanArrived bool `json:"more_left_than_arrived"`
		Flagged             bool
	}
}

// brief lists each lot as "lot status flagged" for comparing with hand-worked answers.
func (b balanceAnswer) brief(tg string) []string {
	var out []string
	for _, l := range b.Lots {
		flag := ""
		if l.Flagged {
			flag = " flagged"
		}
		out = append(out, strings.TrimPrefix(l.Lot, tg)+" "+l.Status+flag)
	}
	return out
}

// The mass balance of FG-3's history, worked by hand. FG-2's 20 shipped cases lie outside
// the backward trace, and still count: balances cover all of a lot's use.
func TestMassBalanceOfABackwardTrace(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	base := "/api/v1/lots/" + tg + "FG-3/mass-balance?direction=backward"
	status, raw := c.do(http.MethodGet, base, "", "")
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, raw)
	}
	compareGolden(t, "mass_balance_fg3_backward", tg, raw)
	var figures struct {
		Lots []struct {
			Lot                                    string
			Quantity, Consumed, Shipped, Remaining float64
			AccountedPct                           float64 `json:"accounted_pct"`
		}
	}
	if err := json.Unmarshal(raw, &figures); err != nil {
		t.Fatal(err)
	}
	want := map[string][5]float64{
		"CHIPS-A": {200, 10, 0, 190, 5}, "DOUGH-1": {100, 100, 0, 0, 100}, "FG-2": {50, 5, 20, 25, 50},
		"FG-3": {80, 0, 80, 0, 100}, "FLOUR-A": {1000, 100, 0, 900, 10}, "SALT-A": {100, 2, 0, 98, 2},
	}
	for _, l := range figures.Lots {
		got := [5]float64{l.Quantity, l.Consumed, l.Shipped, l.Remaining, l.AccountedPct}
		if w := want[strings.TrimPrefix(l.Lot, tg)]; got != w {
			t.Errorf("%s: in, consumed, shipped, remaining, %% = %v, want %v", l.Lot, got, w)
		}
	}
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"", []string{"CHIPS-A open", "DOUGH-1 balanced", "FG-2 open", "FG-3 balanced", "FLOUR-A open", "SALT-A open"}},
		{"&closed=true", []string{"CHIPS-A short flagged", "DOUGH-1 balanced", "FG-2 short flagged", "FG-3 balanced", "FLOUR-A short flagged", "SALT-A short flagged"}},
		{"&closed=true&tolerance_low=50", []string{"CHIPS-A short flagged", "DOUGH-1 balanced", "FG-2 balanced", "FG-3 balanced", "FLOUR-A short flagged", "SALT-A short flagged"}},
	} {
		_, raw := c.do(http.MethodGet, base+tt.query, "", "")
		var b balanceAnswer
		if err := json.Unmarshal(raw, &b); err != nil {
			t.Fatal(err)
		}
		if got := b.brief(tg); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.query, got, tt.want)
		}
	}
	for _, bad := range []struct{ query, field string }{
		{"tolerance_low=abc", "tolerance_low"}, {"tolerance_low=101", "tolerance_low"},
		{"tolerance_high=99", "tolerance_high"}, {"closed=maybe", "closed"}, {"direction=up", "direction"},
	} {
		status, raw := c.do(http.MethodGet, "/api/v1/lots/"+tg+"FG-3/mass-balance?"+bad.query, "", "")
		if status != http.StatusBadRequest || !slices.Contains(problemFields(decodeObject(t, raw)), bad.field) {
			t.Errorf("%s: %d %s, want 400 naming %s", bad.query, status, raw, bad.field)
		}
	}
}

// More shipped than received is flagged whatever the tolerance; the server's default band
// applies where the query gives none.
func TestMassBalanceOverAndServerTolerance(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{Tolerance: graph.Tolerance{Low: 90, High: 101}})
	tg := tag(t)
	events := tagged(tg, ndjson(
		`{"type": "receipt", `+receiptJSON[1:],
		`{"type": "shipment", "id": "{T}SH-1", "customer": {"id": "{T}C", "name": "C", "location": "L"}, "shipped_at": "2026-10-02T07:00:00Z",
		  "from": "BAKERY-1", "reference": {"type": "BOL", "number": "1"}, "lines": [{"lot": "{T}FLOUR-A", "quantity": 1005, "unit": "kg"}]}`,
	))
	if status, raw := c.do(http.MethodPost, "/api/v1/events", "application/x-ndjson", events); status != http.StatusOK || !strings.Contains(string(raw), `"accepted":2`) {
		t.Fatalf("%d %s", status, raw)
	}
	for _, tt := range []struct{ query, want string }{
		{"", "FLOUR-A balanced flagged"},                  // 100.5 % is within 90-101, but more left than arrived
		{"&tolerance_high=100.2", "FLOUR-A over flagged"}, // beyond the band
		{"&tolerance_low=95&tolerance_high=105", "FLOUR-A balanced flagged"},
	} {
		_, raw := c.do(http.MethodGet, "/api/v1/lots/"+tg+"FLOUR-A/mass-balance?direction=forward"+tt.query, "", "")
		var b balanceAnswer
		if err := json.Unmarshal(raw, &b); err != nil {
			t.Fatal(err)
		}
		if got := b.brief(tg); len(got) != 1 || got[0] != tt.want || !b.Lots[0].MoreLeftThanArrived || b.Flagged != 1 {
			t.Errorf("%q: %v (%s), want %s, more left than arrived", tt.query, got, raw, tt.want)
		}
		if tt.query == "" && (b.Tolerance.Low != 90 || b.Tolerance.High != 101) {
			t.Errorf("server default tolerance not applied: %+v", b.Tolerance)
		}
	}
}

// The recall report of FG-1: each affected customer with every shipment line, as JSON, as a
// spreadsheet (TestExportGolden) and as a printable page.
func TestRecallReport(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	// One more shipment gives CUST-B a contact, and a name a page must escape.
	extra := `{"id": "{T}SH-5", "customer": {"id": "{T}CUST-B", "name": "B Store <script>alert(1)</script>", "location": "B Street",
	  "contact": "recalls@b.example, +1 555 0100"}, "shipped_at": "2026-10-09T09:00:00Z", "from": "BAKERY-1",
	  "reference": {"type": "BOL", "number": "BOL-SH-5"}, "lines": [{"lot": "{T}FG-2", "quantity": 5, "unit": "case"}]}`
	if status, answer := c.post("/api/v1/shipments", tagged(tg, extra)); status != http.StatusCreated {
		t.Fatalf("%d %v", status, answer)
	}
	status, raw := c.do(http.MethodGet, "/api/v1/lots/"+tg+"FG-1/recall/report", "", "")
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, raw)
	}
	compareGolden(t, "recall_report_fg1", tg, raw)
	var r struct {
		Customers []struct {
			ID, Name, Contact string
			Totals            []struct{ Quantity float64 }
			Shipments         []struct{ ID string }
		}
		MassBalance struct{ Flagged int } `json:"mass_balance"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, cu := range r.Customers {
		var ids []string
		for _, s := range cu.Shipments {
			ids = append(ids, strings.TrimPrefix(s.ID, tg))
		}
		got = append(got, strings.TrimPrefix(cu.ID, tg)+":"+strings.Join(ids, ","))
	}
	if want := []string{"CUST-A:SH-1,SH-2", "CUST-B:SH-3,SH-5", "CUST-C:SH-4"}; !slices.Equal(got, want) {
		t.Errorf("customers and lines %v, want %v", got, want)
	}
	if r.Customers[1].Contact != "recalls@b.example, +1 555 0100" || r.Customers[1].Totals[0].Quantity != 25 || r.Customers[0].Totals[0].Quantity != 70 {
		t.Errorf("customer contact or totals: %+v", r.Customers)
	}

	d := c.get("/api/v1/lots/"+tg+"FG-1/recall/report?format=html", "")
	page := string(d.body)
	if d.status != http.StatusOK || d.header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("page: %d %s", d.status, d.header.Get("Content-Type"))
	}
	for _, want := range []string{"Recall report: lot " + tg + "FG-1", "B Store &lt;script&gt;alert(1)&lt;/script&gt;", "recalls@b.example",
		"CUST-A Store", "BOL-SH-5", "@media print", "Mass balance"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, never := range []string{"<script>", "<link", "src=", "@import", "url("} {
		if strings.Contains(page, never) {
			t.Errorf("page holds %q: it must be self-contained and escaped", never)
		}
	}
}
