package test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/lot-trace/lot-trace/api"
)

func TestLotDetailGolden(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	for _, lot := range []string{"FG-2", "FLOUR-A"} {
		status, raw := c.do(http.MethodGet, "/api/v1/lots/"+tg+lot, "", "")
		if status != http.StatusOK {
			t.Fatalf("%s: %d %s", lot, status, raw)
		}
		compareGolden(t, "lot_"+strings.ToLower(lot), tg, raw)
	}
	if status, _ := c.do(http.MethodGet, "/api/v1/lots/"+tg+"NOPE", "", ""); status != http.StatusNotFound {
		t.Errorf("unknown lot: %d, want 404", status)
	}
}

func TestLotSearch(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	search := func(query string) (int, []string) {
		t.Helper()
		status, raw := c.do(http.MethodGet, "/api/v1/lots?"+query, "", "")
		var answer struct{ Lots []struct{ Code string } }
		if status == http.StatusOK {
			if err := json.Unmarshal(raw, &answer); err != nil {
				t.Fatal(err)
			}
		}
		var codes []string
		for _, l := range answer.Lots {
			codes = append(codes, strings.TrimPrefix(l.Code, tg))
		}
		return status, codes
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"customer=" + tg + "CUST-A", []string{"FG-1"}},
		{"customer=" + tg + "CUST-B&product=COOKIE-24", []string{"FG-2"}},
		{"customer=" + tg + "CUST-B&product=COOKIE-12", nil},
		{"supplier=" + tg + "SUP-MILL", []string{"FLOUR-A"}},
		{"q=" + url.QueryEscape(tg+"FG-"), []string{"FG-1", "FG-2", "FG-3"}},
		{"q=" + url.QueryEscape(tg+"FG-") + "&limit=2", []string{"FG-1", "FG-2"}},
		{"q=" + url.QueryEscape(tg) + "&from=2026-10-03&to=2026-10-04", []string{"DOUGH-1", "DOUGH-Z", "FG-1", "FG-2"}},
		{"supplier=" + tg + "SUP-MILL&from=2026-10-02", nil},
	}
	for _, tt := range tests {
		status, got := search(tt.query)
		if status != http.StatusOK || strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s: %d %v, want %v", tt.query, status, got, tt.want)
		}
	}
	// Product alone and dates alone search the whole database: the bakery's lot is among them.
	if _, got := search("product=COOKIE-CRUMB&limit=500"); !slices.Contains(got, "FG-3") {
		t.Errorf("product search does not find FG-3: %v", got)
	}
	if status, got := search("from=2026-10-07T00:00:00Z&to=2026-10-08T00:00:00Z&limit=500"); status != http.StatusOK || len(got) > 500 {
		t.Errorf("date search: %d, %d lots", status, len(got))
	}
	for _, bad := range []struct{ query, field string }{
		{"limit=0", "limit"}, {"limit=501", "limit"}, {"limit=many", "limit"},
		{"from=yesterday", "from"}, {"from=2026-10-05&to=2026-10-01", "to"},
	} {
		status, raw := c.do(http.MethodGet, "/api/v1/lots?"+bad.query, "", "")
		if status != http.StatusBadRequest || !slices.Contains(problemFields(decodeObject(t, raw)), bad.field) {
			t.Errorf("%s: %d %s, want 400 naming %s", bad.query, status, raw, bad.field)
		}
	}
}
