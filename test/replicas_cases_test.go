package test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/lot-trace/lot-trace/api"
)

// TestReplicasShareRecallCases: a real recall case opened on replica A is read on replica B
// with A's bookmark, its holds bite on B (a shipment of a held lot is refused there), and a
// step recorded on B is in the case A answers with B's bookmark.
func TestReplicasShareRecallCases(t *testing.T) {
	t.Parallel()
	r := newReplicas(t, 2, api.Config{})
	a, b := r[0], r[1]
	tg := tag(t)
	status, header, raw := a.as(api.RoleWriter).send("POST", "/api/v1/events", "application/x-ndjson", tagged(tg, ndjson(bakeryHistory()...)), nil)
	if status != http.StatusOK {
		t.Fatalf("loading on A: %d %s", status, clip(raw))
	}
	body, _ := json.Marshal(map[string]any{"lots": []string{tg + "FG-1"}, "kind": "real", "reason": "allergen"})
	status, header, raw = a.as(api.RoleWriter).send("POST", "/api/v1/recalls", "application/json", string(body), bookmarkOf(t, header))
	if status != http.StatusCreated {
		t.Fatalf("opening a case on A: %d %s", status, clip(raw))
	}
	opened := decodeObject(t, raw)
	id := opened["id"].(string)
	afterOpen := bookmarkOf(t, header)

	status, _, raw = b.as(api.RoleReader).send("GET", "/api/v1/recalls/"+id, "", "", afterOpen)
	if status != http.StatusOK {
		t.Fatalf("B reading A's case: %d %s", status, clip(raw))
	}
	seen := decodeObject(t, raw)
	if len(list(seen["holds"])) == 0 || len(list(seen["holds"])) != len(list(opened["holds"])) {
		t.Errorf("B sees %d holds, A placed %d", len(list(seen["holds"])), len(list(opened["holds"])))
	}

	status, _, raw = b.as(api.RoleWriter).send("POST", "/api/v1/shipments", "application/json",
		shipmentOf(tg+"SH-ON-B", tg+"CUST-A", tg+"FG-1", 1, "case"), afterOpen)
	if status != http.StatusConflict || !strings.Contains(string(raw), id) {
		t.Errorf("shipping a lot held by A's case on B: %d %s, want 409 naming the case", status, clip(raw))
	}

	step := `{"kind": "customer_notified", "customer": "` + tg + `CUST-A"}`
	status, header, raw = b.as(api.RoleWriter).send("POST", "/api/v1/recalls/"+id+"/steps", "application/json", step, afterOpen)
	if status != http.StatusCreated {
		t.Fatalf("a step on B: %d %s", status, clip(raw))
	}
	status, _, raw = a.as(api.RoleReader).send("GET", "/api/v1/recalls/"+id, "", "", bookmarkOf(t, header))
	if status != http.StatusOK {
		t.Fatalf("A reading the case: %d %s", status, clip(raw))
	}
	steps := list(decodeObject(t, raw)["steps"])
	if len(steps) != 1 || obj(steps[0])["customer"] != tg+"CUST-A" {
		t.Errorf("A sees steps %v, want B's customer_notified", steps)
	}
}
