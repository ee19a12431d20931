package test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/lot-trace/lot-trace/api"
)

// specClient talks to a real server and checks every request and answer against the OpenAPI
// document that server serves, so that the document cannot drift from the handlers.
type specClient struct {
	*apiClient
	doc *openapi3.T
}

// registerBodyDecoders teaches kin-openapi the media types it has no decoder for: the NDJSON
// body (a string in the document; its lines are checked against Event separately), the
// printable report and the XLSX download.
var registerBodyDecoders = sync.OnceFunc(func() {
	openapi3filter.RegisterBodyDecoder("application/x-ndjson", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", openapi3filter.FileBodyDecoder)
})

func newSpecClient(t *testing.T) *specClient {
	t.Helper()
	registerBodyDecoders()
	c := newAPI(t, api.Config{})
	status, raw := c.do(http.MethodGet, "/api/v1/openapi.json", "", "")
	if status != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json: %d", status)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatalf("the served document does not load: %v", err)
	}
	return &specClient{apiClient: c, doc: doc}
}

// call is one request: the operation (method and path template), its path parameters, and
// whether the document should accept the request (false for the bad input a test sends on
// purpose: then the document must refuse it too).
type call struct {
	method, path string
	params       map[string]string
	query        string
	accept       string
	contentType  string
	body         string
	requestValid bool
}

// send makes the call and checks the request and the answer against the document; the answer
// must have a documented status. It returns the status and body for further checks.
func (c *specClient) send(k call) (int, []byte) {
	c.t.Helper()
	target := k.path
	for name, value := range k.params {
		target = strings.ReplaceAll(target, "{"+name+"}", url.PathEscape(value))
	}
	if k.query != "" {
		target += "?" + k.query
	}
	newRequest := func() *http.Request {
		req, err := http.NewRequest(k.method, c.base+target, strings.NewReader(k.body))
		if err != nil {
			c.t.Fatal(err)
		}
		if k.contentType != "" {
			req.Header.Set("Content-Type", k.contentType)
		}
		if k.accept != "" {
			req.Header.Set("Accept", k.accept)
		}
		return req
	}
	res, err := http.DefaultClient.Do(newRequest())
	if err != nil {
		c.t.Fatalf("%s %s: %v", k.method, target, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}

	item := c.doc.Paths.Value(k.path)
	if item == nil || item.GetOperation(k.method) == nil {
		c.t.Fatalf("%s %s is not in the document", k.method, k.path)
	}
	input := &openapi3filter.RequestValidationInput{
		Request:    newRequest(),
		PathParams: k.params,
		Route:      &routers.Route{Spec: c.doc, Path: k.path, PathItem: item, Method: k.method, Operation: item.GetOperation(k.method)},
		Options:    &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true},
	}
	ctx := context.Background()
	switch err := openapi3filter.ValidateRequest(ctx, input); {
	case k.requestValid && err != nil:
		c.t.Errorf("%s %s: the document refuses a request the service takes: %v", k.method, target, err)
	case !k.requestValid && err == nil:
		c.t.Errorf("%s %s: the document accepts a request the test sends as bad", k.method, target)
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input,
		Status:                 res.StatusCode,
		Header:                 res.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		c.t.Errorf("%s %s answered %d, which the document does not describe: %v\n%s", k.method, target, res.StatusCode, err, clip(body))
	}
	return res.StatusCode, body
}

func clip(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "..."
	}
	return string(b)
}

// TestAnswersMatchTheOpenAPIDocument sends each operation's usual calls and its errors.
func TestAnswersMatchTheOpenAPIDocument(t *testing.T) {
	t.Parallel()
	c := newSpecClient(t)
	tg, bakery := tag(t), tag(t) // the single events, and the bakery history loaded in bulk
	lot := func(code string) map[string]string { return map[string]string{"code": tg + code} }
	bakeryLot := func(code string) map[string]string { return map[string]string{"code": bakery + code} }
	expect := func(k call, want int) []byte {
		t.Helper()
		status, body := c.send(k)
		if status != want {
			t.Errorf("%s %s: status %d, want %d: %s", k.method, k.path, status, want, clip(body))
		}
		return body
	}
	jsonPost := func(path, body string, valid bool) call {
		return call{method: http.MethodPost, path: path, contentType: "application/json", body: tagged(tg, body), requestValid: valid}
	}

	// The three events: created, unchanged, conflicting, invalid.
	expect(jsonPost("/api/v1/receipts", receiptJSON, true), http.StatusCreated)
	expect(jsonPost("/api/v1/receipts", receiptJSON, true), http.StatusOK)
	expect(jsonPost("/api/v1/receipts", strings.Replace(receiptJSON, `"quantity": 1000`, `"quantity": 999`, 1), true), http.StatusConflict)
	expect(jsonPost("/api/v1/receipts", strings.Replace(receiptJSON, `"quantity": 1000`, `"quantity": -1`, 1), false), http.StatusUnprocessableEntity)
	expect(jsonPost("/api/v1/receipts", `{"lot": `, false), http.StatusBadRequest)
	expect(call{method: http.MethodPost, path: "/api/v1/receipts", contentType: "text/plain", body: tagged(tg, receiptJSON), requestValid: false}, http.StatusUnsupportedMediaType)
	expect(call{method: http.MethodPost, path: "/api/v1/events", contentType: "application/json", body: tagged(tg, receiptJSON), requestValid: false}, http.StatusUnsupportedMediaType)
	expect(jsonPost("/api/v1/productions", productionJSON, true), http.StatusCreated)
	expect(jsonPost("/api/v1/productions", `{"batch": {"id": "{T}B-9"}, "produced_at": "2026-10-04T12:00:00Z", "location": "BAKERY-1",
		"inputs": [{"lot": "{T}NO-SUCH-LOT", "quantity": 1, "unit": "kg"}], "outputs": [{"code": "{T}FG-9", "product": "X", "quantity": 1, "unit": "kg"}]}`, true),
		http.StatusUnprocessableEntity)
	expect(jsonPost("/api/v1/shipments", shipmentJSON, true), http.StatusCreated)

	// The bulk body: every line must be an Event of the document, and the answer a BulkResult.
	lines := append(bakeryHistory(), `{"type": "teleport"}`)
	event := c.doc.Components.Schemas["Event"].Value
	for i, l := range lines[:len(lines)-1] {
		var v any
		if err := json.Unmarshal([]byte(tagged(bakery, l)), &v); err != nil {
			t.Fatal(err)
		}
		if err := event.VisitJSON(v); err != nil {
			t.Errorf("bulk line %d is not an Event of the document: %v", i+1, err)
		}
	}
	bulk := expect(call{method: http.MethodPost, path: "/api/v1/events", contentType: "application/x-ndjson",
		body: tagged(bakery, ndjson(lines...)), requestValid: true}, http.StatusOK)
	if !bytes.Contains(bulk, []byte(`"line":14`)) {
		t.Errorf("the bad bulk line is not reported: %s", bulk)
	}

	// Looking up: a received lot, a produced lot (the other of received and produced_by is
	// null), a search, and an unknown lot.
	expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}", params: lot("FLOUR-A"), requestValid: true}, http.StatusOK)
	expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}", params: lot("FG-CC-1A"), requestValid: true}, http.StatusOK)
	expect(call{method: http.MethodGet, path: "/api/v1/lots", query: "q=" + url.QueryEscape(tg), requestValid: true}, http.StatusOK)
	expect(call{method: http.MethodGet, path: "/api/v1/lots", query: "limit=0", requestValid: false}, http.StatusBadRequest)
	expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}", params: lot("NO-SUCH-LOT"), requestValid: true}, http.StatusNotFound)

	// Traces and recalls, with their spreadsheets, on the bakery history's rework and shared dough.
	for _, dir := range []string{"backward", "forward", "both"} {
		expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}/trace", params: bakeryLot("FG-2"), query: "direction=" + dir, requestValid: true}, http.StatusOK)
	}
	expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}/trace", params: bakeryLot("FG-2"), query: "format=csv", requestValid: true}, http.StatusOK)
	for _, q := range []string{"view=compact", "fields=nodes,edges", "fields=edges,properties,customers", "fields=lots"} {
		expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}/trace", params: bakeryLot("FG-2"), query: q, requestValid: true}, http.StatusOK)
	}
	expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}/trace", params: bakeryLot("FG-2"), query: "fields=colour", requestValid: false}, http.StatusBadRequest)
	expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}/trace", params: bakeryLot("FG-2"), query: "direction=sideways", requestValid: false}, http.StatusBadRequest)
	expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}/trace", params: lot("NO-SUCH-LOT"), requestValid: true}, http.StatusNotFound)
	expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}/recall", params: bakeryLot("FG-1"), requestValid: true}, http.StatusOK)
	expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}/recall", params: bakeryLot("FLOUR-A"), query: "format=xlsx", requestValid: true}, http.StatusOK)
	expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}/recall", params: lot("NO-SUCH-LOT"), requestValid: true}, http.StatusNotFound)
	// Bounds: none has a maximum; an answer a bound cut says which (cut_by), one it did not cut has no cut_by.
	for _, q := range []string{"direction=backward&max_depth=1", "direction=both&max_nodes=2&view=summary", "max_depth=100000&max_nodes=1000000000"} {
		expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}/trace", params: bakeryLot("FG-3"), query: q, requestValid: true}, http.StatusOK)
	}
	expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}/trace", params: bakeryLot("FG-3"), query: "max_depth=0", requestValid: false}, http.StatusBadRequest)
	expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}/recall", params: bakeryLot("FLOUR-A"), query: "max_nodes=2", requestValid: true}, http.StatusOK)
	expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}/exposure", params: bakeryLot("FLOUR-A"), query: "max_depth=1", requestValid: true}, http.StatusOK)
	expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}/mass-balance", params: bakeryLot("FLOUR-A"), query: "max_nodes=1", requestValid: true}, http.StatusOK)
	expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}/recall/report", params: bakeryLot("FLOUR-A"), query: "max_depth=1", requestValid: true}, http.StatusOK)

	// The reports.
	expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}/exposure", params: bakeryLot("FLOUR-A"), requestValid: true}, http.StatusOK)
	expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}/mass-balance", params: bakeryLot("FLOUR-A"), query: "direction=forward", requestValid: true}, http.StatusOK)
	expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}/recall/report", params: bakeryLot("FG-1"), requestValid: true}, http.StatusOK)
	expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}/recall/report", params: bakeryLot("FG-1"), query: "format=html", requestValid: true}, http.StatusOK)
	expect(call{method: http.MethodGet, path: "/api/v1/lots/{code}/mass-balance", params: bakeryLot("FLOUR-A"), query: "tolerance_low=101", requestValid: false}, http.StatusBadRequest)

	// Recall cases: opened, listed, read in each format, a step, a held lot refused, a
	// release, a close, and their refusals.
	opened := expect(jsonPost("/api/v1/recalls", `{"lots": ["`+bakery+`FG-1"], "kind": "real", "reason": "spec"}`, true), http.StatusCreated)
	var rc struct{ ID string }
	if err := json.Unmarshal(opened, &rc); err != nil || rc.ID == "" {
		t.Fatalf("opened case: %v %s", err, clip(opened))
	}
	caseID := map[string]string{"id": rc.ID}
	expect(jsonPost("/api/v1/recalls", `{"lots": ["{T}NO-SUCH-LOT"], "kind": "real", "reason": "spec"}`, true), http.StatusUnprocessableEntity)
	expect(jsonPost("/api/v1/recalls", `{"lots": ["{T}FG-1"], "kind": "drill", "reason": "spec"}`, false), http.StatusUnprocessableEntity)
	expect(call{method: http.MethodGet, path: "/api/v1/recalls", query: "kind=real&state=open&from=2026-01-01", requestValid: true}, http.StatusOK)
	for _, f := range []string{"format=json", "format=html", "format=xlsx"} {
		expect(call{method: http.MethodGet, path: "/api/v1/recalls/{id}", params: caseID, query: f, requestValid: true}, http.StatusOK)
	}
	expect(call{method: http.MethodGet, path: "/api/v1/recalls/{id}", params: map[string]string{"id": "RC-NOPE"}, requestValid: true}, http.StatusNotFound)
	expect(jsonPost("/api/v1/shipments", `{"id": "{T}SH-HELD", "customer": {"id": "{T}CUST-H", "location": "Here"}, "shipped_at": "2026-10-20T10:00:00Z",
		"from": "BAKERY-1", "reference": {"type": "BOL", "number": "B-1"}, "lines": [{"lot": "`+bakery+`FG-1", "quantity": 1, "unit": "case"}]}`, true), http.StatusConflict)
	steps := "/api/v1/recalls/{id}/steps"
	expect(call{method: http.MethodPost, path: steps, params: caseID, contentType: "application/json", body: `{"kind": "customer_notified", "customer": "` + bakery + `CUST-A"}`, requestValid: true}, http.StatusCreated)
	expect(call{method: http.MethodPost, path: steps, params: caseID, contentType: "application/json", body: `{"kind": "phoned"}`, requestValid: false}, http.StatusUnprocessableEntity)
	expect(call{method: http.MethodPost, path: "/api/v1/recalls/{id}/rescope", params: caseID, requestValid: true}, http.StatusOK)
	release := `{"lots": ["` + bakery + `FG-1"], "reason": "spec"}`
	expect(call{method: http.MethodPost, path: "/api/v1/recalls/{id}/release", params: caseID, contentType: "application/json", body: release, requestValid: true}, http.StatusOK)
	expect(call{method: http.MethodPost, path: "/api/v1/recalls/{id}/release", params: caseID, contentType: "application/json", body: release, requestValid: true}, http.StatusUnprocessableEntity)
	expect(call{method: http.MethodPost, path: "/api/v1/recalls/{id}/close", params: caseID, contentType: "application/json", body: `{"conclusion": "spec"}`, requestValid: true}, http.StatusOK)
	expect(call{method: http.MethodPost, path: steps, params: caseID, contentType: "application/json", body: `{"kind": "note", "note": "late"}`, requestValid: true}, http.StatusConflict)

	// Operations.
	expect(call{method: http.MethodGet, path: "/healthz", requestValid: true}, http.StatusOK)
	expect(call{method: http.MethodGet, path: "/readyz", requestValid: true}, http.StatusOK)
	expect(call{method: http.MethodGet, path: "/metrics", requestValid: true}, http.StatusOK)
	expect(call{method: http.MethodGet, path: "/api/v1/openapi.json", requestValid: true}, http.StatusOK)
	expect(call{method: http.MethodGet, path: "/api/docs", requestValid: true}, http.StatusOK)
}
