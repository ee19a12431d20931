package test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/api"
)

// TestATraceOverItsQueryLimitAnswers504: with a query limit too short for any database round
// trip, every trace and report route answers a 504 problem naming the limit, not a 503 (the
// database is up) and not a 500; with the default limit the same calls answer 200.
func TestATraceOverItsQueryLimitAnswers504(t *testing.T) {
	t.Parallel()
	tight := newAPI(t, api.Config{QueryTimeout: time.Millisecond})
	tg := loadBakery(t, tight) // writes are not bounded by the query limit
	lot := url.PathEscape(tg + "FG-1")
	paths := []string{
		"/api/v1/lots/" + lot + "/trace?direction=both",
		"/api/v1/lots/" + lot + "/trace?view=summary",
		"/api/v1/lots/" + lot + "/recall",
		"/api/v1/lots/" + lot + "/recall/report",
		"/api/v1/lots/" + lot + "/exposure",
		"/api/v1/lots/" + lot + "/mass-balance",
	}
	for _, path := range paths {
		status, raw := tight.do(http.MethodGet, path, "", "")
		if status != http.StatusGatewayTimeout {
			t.Errorf("GET %s with a 1 ms query limit: %d %s, want 504", path, status, clip(raw))
			continue
		}
		p := decodeObject(t, raw)
		if detail, _ := p["detail"].(string); !strings.Contains(detail, "1ms query limit") || !strings.Contains(detail, "LOT_TRACE_QUERY_TIMEOUT") {
			t.Errorf("GET %s: detail %q, want it to name the 1ms query limit and its setting", path, detail)
		}
	}
	roomy := newAPI(t, api.Config{})
	for _, path := range paths {
		if status, raw := roomy.do(http.MethodGet, path, "", ""); status != http.StatusOK {
			t.Errorf("GET %s with the default query limit: %d %s, want 200", path, status, clip(raw))
		}
	}
}
