package test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/cypher"
	"github.com/lot-trace/lot-trace/graph/neo4j"
)

// tookMS is a trace's timing, which differs between two answers.
var tookMS = regexp.MustCompile(`\n?,"took_ms":[0-9.]+`)

// TestGS1LotsMigrateToCanonicalCodes opens a database as a version before canonical GS1 lot
// codes left it: lots stored under an LGTIN URN, a Digital Link on another domain, one on
// id.gs1.org with an unpadded GTIN-13, a recall case and an EPCIS receipt key naming the URN,
// and two GS1 lots stored twice under two spellings. Applying the schema renames the first
// three to their canonical Digital Link (traces by any form answer as before), rewrites the
// case and the key, leaves the colliding lots as they are and logs them; running it again
// changes nothing.
//
// It is not parallel: it drops the migration's mark (the index lot_former_code), which a parallel test applying the
// schema could write again before this test's migration runs.
func TestGS1LotsMigrateToCanonicalCodes(t *testing.T) {
	store := sharedStore(t)
	ctx := context.Background()
	c := newAPI(t, api.Config{})
	tg := tag(t)
	urn := func(lot string) string { return "urn:epc:class:lgtin:4012345.012345." + tg + lot }
	canon := func(lot string) string { return "https://id.gs1.org/01/04012345123456/10/" + tg + lot }
	t.Cleanup(func() {
		write(t, `MATCH (n:Lot) WHERE n.code ENDS WITH $a OR n.code ENDS WITH $b OR n.code ENDS WITH $c OR n.code ENDS WITH $d OR n.code ENDS WITH $e OR n.code ENDS WITH $u
			DETACH DELETE n`, map[string]any{"a": tg + "A", "b": tg + "B", "c": tg + "C", "d": tg + "D", "e": tg + "E", "u": tg + "U"})
		write(t, `MATCH (n) WHERE n.id STARTS WITH $tag OR n.key ENDS WITH $a DETACH DELETE n`, map[string]any{"tag": tg, "a": tg + "A"})
	})

	// The history, recorded as today's version records it: under canonical codes.
	receipt := func(lot string) string {
		return tagged(tg, `{"lot":{"code":"`+canon(lot)+`","product":"flour","quantity":50,"unit":"kg"},
			"supplier":{"id":"{T}S","location":"Mill"},"received_at":"2026-01-01T00:00:00Z","location":"Plant","reference":{"type":"PO","number":"{T}`+lot+`"}}`)
	}
	for _, lot := range []string{"A", "C", "D"} {
		if status, body := c.post("/api/v1/receipts", receipt(lot)); status != http.StatusCreated {
			t.Fatalf("receipt %s: %d %v", lot, status, body)
		}
	}
	if status, body := c.post("/api/v1/productions", tagged(tg, `{"batch":{"id":"{T}B-1","line":"L1"},"produced_at":"2026-01-02T00:00:00Z","location":"Plant",
		"inputs":[{"lot":"`+canon("A")+`","quantity":10,"unit":"kg"}],"outputs":[{"code":"`+canon("B")+`","product":"bread","quantity":5,"unit":"case"}]}`)); status != http.StatusCreated {
		t.Fatalf("production: %d %v", status, body)
	}
	if status, body := c.post("/api/v1/shipments", shipmentOf(tg+"SH-1", tg+"CUST", canon("B"), 2, "case")); status != http.StatusCreated {
		t.Fatalf("shipment: %d %v", status, body)
	}
	trace := func(form string) []byte {
		t.Helper()
		status, raw := c.do(http.MethodGet, "/api/v1/lots/"+url.PathEscape(form)+"/trace?direction=both", "", "")
		if status != http.StatusOK {
			t.Fatalf("trace of %s: %d %s", form, status, raw)
		}
		return tookMS.ReplaceAll(raw, nil)
	}
	want := trace(canon("A"))
	if !bytes.Contains(want, []byte(tg+"CUST")) {
		t.Fatalf("the trace of A does not reach the customer: %s", want)
	}
	caseID, _ := openCase(t, c, "mock", "migration", canon("A"))["id"].(string)

	// The database as an earlier version left it.
	older := map[string]string{
		canon("A"): urn("A"),
		canon("B"): "https://example.com/some/path/01/4012345123456/10/" + tg + "B",
		canon("C"): "https://id.gs1.org/01/4012345123456/10/" + tg + "C",
	}
	for now, then := range older {
		write(t, `MATCH (l:Lot {code: $now}) SET l.code = $then`, map[string]any{"now": now, "then": then})
	}
	write(t, `MATCH (c:RecallCase {id: $id}) SET c.lots = [$urn]`, map[string]any{"id": caseID, "urn": urn("A")})
	write(t, `CREATE (:EpcisCte {key: 'receipt:' + $urn, event_id: $tag + 'EV'})`, map[string]any{"urn": urn("A"), "tag": tg})
	collidingE := "http://example.com/01/04012345123456/10/" + tg + "E"
	write(t, `CREATE (:Lot {code: $d, product: 'flour'}), (:Lot {code: $e1, product: 'flour'}), (:Lot {code: $e2, product: 'flour'}),
		(:Lot {code: $u, product: 'flour'})`,
		map[string]any{"d": urn("D"), "e1": urn("E"), "e2": collidingE, "u": "https://example.com/lots/" + tg + "U"})
	write(t, `DROP INDEX lot_former_code IF EXISTS`, nil)

	// Applying the schema migrates, and logs the collisions.
	var logged bytes.Buffer
	logging, err := neo4j.Open(neo4j.Config{URI: shared.db.URI, User: shared.db.User, Password: shared.db.Password}, slog.New(slog.NewTextHandler(&logged, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer logging.Close(ctx)
	if err := logging.ApplySchema(ctx); err != nil {
		t.Fatalf("ApplySchema: %v", err)
	}
	for _, code := range []string{urn("D"), canon("D"), urn("E"), collidingE} {
		if !strings.Contains(logged.String(), code) {
			t.Errorf("the log does not name %s among the collisions:\n%s", code, logged.String())
		}
	}
	if strings.Contains(logged.String(), "/lots/"+tg+"U") {
		t.Errorf("a lot code that is not a GS1 code is named in the log:\n%s", logged.String())
	}

	codes := func() map[string]string {
		out := map[string]string{}
		for _, r := range query(t, `MATCH (l:Lot) WHERE l.code CONTAINS $tag RETURN l.code AS code, coalesce(l.former_code, '') AS former`, map[string]any{"tag": tg}) {
			out[r["code"].(string)] = r["former"].(string)
		}
		return out
	}
	after := codes()
	wantCodes := map[string]string{
		canon("A"): urn("A"), canon("B"): older[canon("B")], canon("C"): older[canon("C")],
		canon("D"): "", urn("D"): "", urn("E"): "", collidingE: "", "https://example.com/lots/" + tg + "U": "",
	}
	if !reflect.DeepEqual(after, wantCodes) {
		t.Fatalf("lots after the migration (code: former code):\n%v\nwant\n%v", after, wantCodes)
	}
	if rows := query(t, `MATCH (c:RecallCase {id: $id}) RETURN c.lots AS lots`, map[string]any{"id": caseID}); len(rows) != 1 || !reflect.DeepEqual(rows[0]["lots"], []any{canon("A")}) {
		t.Errorf("the recall case's lots: %v, want [%s]", rows, canon("A"))
	}
	if rows := query(t, `MATCH (k:EpcisCte) WHERE k.event_id = $ev RETURN k.key AS key`, map[string]any{"ev": tg + "EV"}); len(rows) != 1 || rows[0]["key"] != "receipt:"+canon("A") {
		t.Errorf("the EPCIS receipt key: %v, want receipt:%s", rows, canon("A"))
	}
	if rows := query(t, `SHOW INDEXES YIELD name WHERE name = 'lot_former_code' RETURN count(*) AS n`, nil); rows[0]["n"] != int64(0) {
		t.Errorf("the migration is marked done while lots collide")
	}

	// Every form finds the lot, and its trace is the one recorded.
	for _, form := range []string{urn("A"), canon("A"), "https://example.com/01/4012345123456/10/" + tg + "A"} {
		if got := trace(form); !bytes.Equal(got, want) {
			t.Errorf("trace of %s after the migration:\n%s\nwant\n%s", form, got, want)
		}
	}
	if lot := c.getJSON("/api/v1/lots/"+url.PathEscape(older[canon("C")]), http.StatusOK); obj(lot["lot"])["code"] != canon("C") {
		t.Errorf("GET by the unpadded GTIN: %v", lot)
	}
	// A colliding URN is read as its canonical code: the lot stored under it.
	if lot := c.getJSON("/api/v1/lots/"+url.PathEscape(urn("D")), http.StatusOK); obj(lot["lot"])["code"] != canon("D") {
		t.Errorf("GET by a colliding URN: %v", lot)
	}
	// The case, traced again by the codes it now holds.
	if status, raw := c.do(http.MethodPost, "/api/v1/recalls/"+caseID+"/rescope", "", ""); status != http.StatusOK {
		t.Errorf("rescope after the migration: %d %s", status, raw)
	}

	// Again: nothing of this test's is renamed; the collisions are reported again.
	m, err := store.MigrateGS1LotCodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range m.Renamed {
		if strings.Contains(r.From, tg) {
			t.Errorf("a second run renamed %s", r.From)
		}
	}
	var mine []neo4j.GS1Collision
	for _, col := range m.Collisions {
		if strings.Contains(col.Canonical, tg) {
			mine = append(mine, col)
		}
	}
	wantCollisions := []neo4j.GS1Collision{
		{Canonical: canon("D"), Codes: []string{urn("D"), canon("D")}},
		{Canonical: canon("E"), Codes: []string{collidingE, urn("E")}},
	}
	if !reflect.DeepEqual(mine, wantCollisions) {
		t.Errorf("collisions on a second run: %+v, want %+v", mine, wantCollisions)
	}
	if again := codes(); !reflect.DeepEqual(again, after) {
		t.Errorf("a second run changed the lots: %v, was %v", again, after)
	}

	// Once the collisions are resolved by hand, the migration finishes cleanly and is marked done.
	write(t, `MATCH (l:Lot) WHERE l.code IN [$d, $e] DETACH DELETE l`, map[string]any{"d": urn("D"), "e": urn("E")})
	if err := logging.ApplySchema(ctx); err != nil {
		t.Fatal(err)
	}
	if m, err := store.MigrateGS1LotCodes(ctx); err != nil || slices.ContainsFunc(m.Collisions, func(c neo4j.GS1Collision) bool { return strings.Contains(c.Canonical, tg) }) {
		t.Errorf("after resolving the collisions: %+v %v", m, err)
	}
	if rows := query(t, `SHOW INDEXES YIELD name WHERE name = 'lot_former_code' RETURN count(*) AS n`, nil); rows[0]["n"] != int64(1) {
		t.Errorf("the migration is not marked done after a clean run: %v", rows)
	}
	if got := codes()[canon("E")]; got != collidingE {
		t.Errorf("the remaining spelling of E was not renamed once alone: %v", codes())
	}
}

// TestGS1MigrationCandidatesSeekTheIndex: the part of the migration that runs at every start
// reads lot_code_unique's index by ranges (codes no canonical GS1 lot has), never every lot.
func TestGS1MigrationCandidatesSeekTheIndex(t *testing.T) {
	t.Parallel()
	sharedStore(t)
	res, err := driver.ExecuteQuery(context.Background(), shared.driver, "PROFILE "+cypher.MigrateGS1LotCandidates.Text, nil, driver.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	ops := operators(res.Summary.Profile())
	seeks := 0
	for _, op := range ops {
		if strings.Contains(op, "Scan") {
			t.Errorf("a scan in the plan: %v", ops)
		}
		if strings.Contains(op, "IndexSeekByRange") {
			seeks++
		}
	}
	if seeks != 4 {
		t.Errorf("%d range seeks of the index in the plan, want 4: %v", seeks, ops)
	}
}
