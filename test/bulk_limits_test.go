package test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/lot-trace/lot-trace/api"
)

// TestBulkListsTheFirstRejections posts 20,000 empty objects: the answer lists the first
// 1,000 in full and counts them all, and stays small (a million such lines answered 148 MB).
func TestBulkListsTheFirstRejections(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	const lines = 20_000
	status, raw := c.do(http.MethodPost, "/api/v1/events", "application/x-ndjson", strings.Repeat("{}\n", lines))
	var answer struct {
		Accepted, Unchanged int
		Rejected            []struct{ Line, Status int }
		RejectedCount       int  `json:"rejected_count"`
		RejectedTruncated   bool `json:"rejected_truncated"`
	}
	if err := json.Unmarshal(raw, &answer); status != http.StatusOK || err != nil {
		t.Fatalf("%d %v %.300s", status, err, raw)
	}
	if len(answer.Rejected) != api.MaxRejectionsListed || answer.RejectedCount != lines || !answer.RejectedTruncated {
		t.Fatalf("listed %d, rejected_count %d, truncated %v; want %d, %d, true", len(answer.Rejected), answer.RejectedCount,
			answer.RejectedTruncated, api.MaxRejectionsListed, lines)
	}
	for i, r := range answer.Rejected {
		if r.Line != i+1 || r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("rejection %d: %+v, want line %d, 422", i, r, i+1)
		}
	}
	if len(raw) > 200_000 {
		t.Errorf("answer of %d bytes for %d bad lines", len(raw), lines)
	}
	// Under the cap, every rejection is listed and the answer says it is complete.
	_, raw = c.do(http.MethodPost, "/api/v1/events", "application/x-ndjson", strings.Repeat("{}\n", 3))
	if err := json.Unmarshal(raw, &answer); err != nil || len(answer.Rejected) != 3 || answer.RejectedCount != 3 || answer.RejectedTruncated {
		t.Fatalf("3 bad lines: %s", raw)
	}
}

// TestBulkRefusesAnEmptyBody: the document says the body has at least one character (an
// empty body answered 200); a body of blank lines is still a 200 with nothing done.
func TestBulkRefusesAnEmptyBody(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	if status, raw := c.do(http.MethodPost, "/api/v1/events", "application/x-ndjson", ""); status != http.StatusBadRequest {
		t.Errorf("empty body: %d %s, want 400", status, raw)
	}
	if status, raw := c.do(http.MethodPost, "/api/v1/events", "application/x-ndjson", "\n \n"); status != http.StatusOK ||
		!strings.Contains(string(raw), `"accepted":0,"unchanged":0,"rejected":[],"rejected_count":0`) {
		t.Errorf("blank lines: %d %s, want 200 with nothing done", status, raw)
	}
}
