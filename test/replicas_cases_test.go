package test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

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

// TestReplicasShareCaptureJobs: an EPCIS capture posted to replica A is a job that replica B
// reads, running or ended, by its Location; once it has ended, B answers the same job and
// traces the captured lot.
func TestReplicasShareCaptureJobs(t *testing.T) {
	t.Parallel()
	r := newReplicas(t, 2, api.Config{})
	a, b := r[0].as(api.RoleWriter), r[1].as(api.RoleReader)
	tg := tag(t)
	doc := tagged(tg, `{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument",
		"schemaVersion":"2.0","creationDate":"2026-01-01T00:00:00Z","epcisBody":{"eventList":[
		{"type":"ObjectEvent","eventTime":"2026-03-01T08:00:00Z","eventTimeZoneOffset":"+00:00","action":"OBSERVE",
		 "bizStep":"receiving","bizLocation":{"id":"urn:epc:id:sgln:0614141.00888.0"},
		 "quantityList":[{"epcClass":"urn:lot-trace:lot:{T}EP-1","quantity":3,"uom":"KGM"}],
		 "sourceList":[{"type":"owning_party","source":"urn:lot-trace:party:{T}S"}]}]}}`)
	status, header, raw := a.send(http.MethodPost, "/epcis/capture", "application/ld+json", doc, nil)
	loc := header.Get("Location")
	if status != http.StatusAccepted || !strings.HasPrefix(loc, "/epcis/capture/") {
		t.Fatalf("capture on A: %d Location %q %s", status, loc, clip(raw))
	}
	var job map[string]any
	for deadline := time.Now().Add(2 * time.Minute); ; {
		status, _, raw := b.send(http.MethodGet, loc, "", "", nil)
		if status != http.StatusOK {
			t.Fatalf("B reading A's job %s: %d %s", loc, status, clip(raw))
		}
		if job = decodeObject(t, raw); job["running"] == false || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if job["running"] != false || job["success"] != true || job["captureID"] != strings.TrimPrefix(loc, "/epcis/capture/") {
		t.Fatalf("A's job as B reads it: %v, want ended with success", job)
	}
	// The job ended after A's answer, so B reads the lot without a bookmark from it; the
	// read on a single Neo4j sees every commit.
	if status, _, raw := b.send(http.MethodGet, "/api/v1/lots/"+tg+"EP-1", "", "", nil); status != http.StatusOK {
		t.Errorf("B reading the captured lot: %d %s", status, clip(raw))
	}
}
