package epcis

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/graph/gs1"
)

func TestLotFormsAreOneLot(t *testing.T) {
	const canon = "https://id.gs1.org/01/04012345123456/10/998877"
	for _, in := range []string{
		"urn:epc:class:lgtin:4012345.012345.998877",
		canon,
		"https://example.com/some/path/01/04012345123456/10/998877?x=1",
		"https://id.gs1.org/01/4012345123456/10/998877", // a GTIN-13 is padded
	} {
		code, kind := Lot(in)
		if code != canon || kind != GS1Lot {
			t.Errorf("Lot(%q) = %q, %v; want %q as a GS1 lot", in, code, kind, canon)
		}
	}
	if g := gs1.GTINOf(canon); g != "04012345123456" {
		t.Errorf("GTINOf = %q", g)
	}
	for _, in := range []string{"urn:epc:idpat:sgtin:4012345.066666.*", "https://id.gs1.org/01/04012345666663",
		"urn:epc:id:sgtin:4012345.011122.25", "https://id.gs1.org/01/04012345123456/21/7", "not a uri"} {
		if code, kind := Lot(in); kind != NotALot {
			t.Errorf("Lot(%q) = %q, %v; want no lot", in, code, kind)
		}
	}
	if code, kind := Lot("urn:lot-trace:lot:FG%201"); code != "FG 1" || kind != OtherLot {
		t.Errorf("own URN: %q %v", code, kind)
	}
	if code, kind := Lot("urn:example:lot:7"); code != "urn:example:lot:7" || kind != OtherLot {
		t.Errorf("other URI: %q %v", code, kind)
	}
}

func TestUnitsBothWays(t *testing.T) {
	for _, u := range units {
		if UnitOf(u.code) != u.unit {
			t.Errorf("UnitOf(%s) = %s, want %s", u.code, UnitOf(u.code), u.unit)
		}
		if c, ok := UOMOf(u.unit); !ok || c != u.code {
			t.Errorf("UOMOf(%s) = %s %v, want %s", u.unit, c, ok, u.code)
		}
	}
	if UnitOf("") != CountUnit || UnitOf("XYZ") != "XYZ" {
		t.Errorf("a count is %q, an unknown code %q", UnitOf(""), UnitOf("XYZ"))
	}
	if _, ok := UOMOf("bucket"); ok {
		t.Error("bucket has no Rec. 20 code and is not written like one")
	}
}

func TestOwnURNsRoundTrip(t *testing.T) {
	for _, v := range []string{"FG-1", "Plant 1, Bay 3", "a/b%c?d#e", "urn:epc:id:sgln:0614141.00888.0", "Ünïcode lot"} {
		uri := URIOf(KindLocation, v)
		if !IsURI(uri) {
			t.Errorf("URIOf(%q) = %q is not a URI", v, uri)
		}
		if back := ValueOf(KindLocation, uri); back != v {
			t.Errorf("ValueOf(URIOf(%q)) = %q", v, back)
		}
	}
}

func TestEventHashIgnoresFormAndNamesContent(t *testing.T) {
	v := MustValidator()
	doc := func(event string) []byte {
		return []byte(`{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument",
		"schemaVersion":"2.0","creationDate":"2024-01-01T00:00:00Z","epcisBody":{"eventList":[` + event + `]}}`)
	}
	a := `{"type":"ObjectEvent","eventTime":"2024-03-01T10:00:00+01:00","eventTimeZoneOffset":"+01:00","action":"OBSERVE",
		"bizStep":"receiving","quantityList":[{"epcClass":"urn:epc:class:lgtin:4012345.012345.998877","quantity":5.0,"uom":"KGM"}]}`
	b := `{"quantityList":[{"uom":"KGM","quantity":5,"epcClass":"https://id.gs1.org/01/04012345123456/10/998877"}],
		"bizStep":"https://ref.gs1.org/cbv/BizStep-receiving","action":"OBSERVE","eventTimeZoneOffset":"+01:00",
		"eventTime":"2024-03-01T09:00:00.000Z","type":"ObjectEvent"}`
	c := strings.Replace(a, `"quantity":5.0`, `"quantity":6`, 1)
	read := func(s string) graph.CapturedEvent {
		evs, err := v.ReadDocument(doc(s))
		if err != nil {
			t.Fatalf("%v %v", err, graph.ErrorFields(err))
		}
		return evs[0]
	}
	ea, eb, ec := read(a), read(b), read(c)
	if !strings.HasPrefix(ea.ID, "ni:///sha-256;") || !strings.HasSuffix(ea.ID, "?ver=CBV2.0") {
		t.Errorf("an event without eventID is named by its hash, got %q", ea.ID)
	}
	if ea.ID != eb.ID {
		t.Errorf("the same event written two ways hashes differently: %s / %s", ea.ID, eb.ID)
	}
	if ea.ID == ec.ID {
		t.Error("another quantity must change the hash")
	}
	if !strings.Contains(ea.JSON, `"eventID":"`+ea.ID+`"`) {
		t.Errorf("the stored event carries its id: %s", ea.JSON)
	}
}

func TestSchemaProblemsNamePathAndRule(t *testing.T) {
	v := MustValidator()
	body := []byte(`{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument",
		"schemaVersion":"2.0","creationDate":"2024-01-01T00:00:00Z","epcisBody":{"eventList":[
		{"type":"ObjectEvent","eventTime":"2024-03-01T10:00:00Z","eventTimeZoneOffset":"+01:00","action":"OBSERVE",
		 "bizStep":"not a uri","epcList":["urn:epc:id:sgtin:0614141.107346.2018"]}]}}`)
	_, err := v.ReadDocument(body)
	if graph.ErrorCode(err) != graph.EINVALID {
		t.Fatalf("want invalid, got %v", err)
	}
	found := false
	for _, f := range graph.ErrorFields(err) {
		if f.Field == "epcisBody.eventList[0].bizStep" && strings.Contains(f.Message, "format") {
			found = true
		}
	}
	if !found {
		t.Errorf("no problem names epcisBody.eventList[0].bizStep and its format rule: %+v", graph.ErrorFields(err))
	}
}

func TestGS1ExamplesReadAndLotLevelOnesMap(t *testing.T) {
	v := MustValidator()
	files, _ := filepath.Glob("../test/testdata/epcis/*.jsonld")
	if len(files) < 40 {
		t.Fatalf("found %d GS1 examples", len(files))
	}
	inGenealogy := map[string]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		evs, err := v.ReadDocument(data)
		if err != nil {
			t.Errorf("%s: %v %v", filepath.Base(f), err, graph.ErrorFields(err))
			continue
		}
		for _, e := range evs {
			if (len(e.CTEs) == 0) == (e.NotInGenealogy == "") {
				t.Errorf("%s: %s has %d CTEs and note %q", filepath.Base(f), e.ID, len(e.CTEs), e.NotInGenealogy)
			}
			for _, k := range e.Keys {
				inGenealogy[k] = true
			}
		}
	}
	for _, k := range []string{"receipt:https://id.gs1.org/01/04012345123456/10/998877", "receipt:https://id.gs1.org/01/70614141123451/10/998877"} {
		if !inGenealogy[k] {
			t.Errorf("%s is not in the genealogy (have %v)", k, inGenealogy)
		}
	}
}

// TestExportedCTEsCaptureAsTheSameEvents: recorded events written as EPCIS, validated against
// the schema and read back, are the same events (same fingerprint: every KDE).
func TestExportedCTEsCaptureAsTheSameEvents(t *testing.T) {
	at := time.Date(2026, 10, 1, 7, 0, 0, 0, time.UTC)
	salt := graph.LotCode("https://id.gs1.org/01/04012345123456/10/42")
	want := []graph.Event{
		&graph.Receipt{Lot: graph.NewLot{Code: "FLOUR-1", Product: "flour", Description: "Wheat flour T55", Quantity: graph.Quantity{Amount: 1000, Unit: "kg"},
			SupplierLot: "M-77", ExpiresAt: "2027-01-01"}, Supplier: graph.Supplier{ID: "MILL", Name: "The Mill", Location: "Mill Road 1"},
			ReceivedAt: at, Location: "Bakery 1", Reference: graph.Reference{Type: "PO", Number: "PO-1"}},
		&graph.Receipt{Lot: graph.NewLot{Code: salt, Product: "salt", Quantity: graph.Quantity{Amount: 2.5, Unit: "bucket"}},
			Supplier: graph.Supplier{ID: "urn:epc:id:pgln:4012345.00225", Location: "urn:epc:id:sgln:4012345.00225.0"}, TLCSource: "Salt works",
			ReceivedAt: at, Location: "urn:epc:id:sgln:0614141.00888.0", Reference: graph.Reference{Type: "delivery note", Number: "DN 7"}},
		&graph.Production{Batch: graph.Batch{ID: "B1", Line: "Oven 2"}, ProducedAt: at.Add(time.Hour), Location: "Bakery 1", TLCSource: "TLC-REF-9",
			Reference: graph.Reference{Type: "batch log", Number: "B1"},
			Inputs: []graph.LotQuantity{{Lot: "FLOUR-1", Quantity: graph.Quantity{Amount: 400, Unit: "kg"}},
				{Lot: salt, Quantity: graph.Quantity{Amount: 0.5, Unit: "bucket"}}},
			Outputs: []graph.NewLot{{Code: "BREAD-1", Product: "bread", Quantity: graph.Quantity{Amount: 800, Unit: "each"}, ExpiresAt: "2026-10-04"},
				{Code: "ROLLS-1", Product: "rolls", Description: "Bread rolls", Quantity: graph.Quantity{Amount: 20, Unit: "case"}}}},
		&graph.Shipment{ID: "SH-1", Customer: graph.Customer{ID: "SHOP", Name: "Corner shop", Location: "High St 2", Contact: "+44 1 234"},
			ShippedAt: at.Add(2 * time.Hour), From: "Bakery 1", Reference: graph.Reference{Type: "BOL", Number: "BOL-9"},
			Lines: []graph.LotQuantity{{Lot: "BREAD-1", Quantity: graph.Quantity{Amount: 500, Unit: "each"}},
				{Lot: "ROLLS-1", Quantity: graph.Quantity{Amount: 2, Unit: "case"}}}},
	}
	keys := []string{"receipt:FLOUR-1", "receipt:" + string(salt), "batch:B1", "shipment:SH-1"}
	rows := []graph.KDERow{ // one row an event is enough: the export reads the events whole
		{CTE: graph.CTEReceiving, EventID: "FLOUR-1", Lot: "FLOUR-1", Product: "flour"},
		{CTE: graph.CTEReceiving, EventID: string(salt), Lot: salt, Product: "salt"},
		{CTE: graph.CTETransformation, EventID: "B1", Lot: "BREAD-1", Product: "bread"},
		{CTE: graph.CTETransformation, EventID: "B1", Lot: "ROLLS-1", Product: "rolls"},
		{CTE: graph.CTEShipping, EventID: "SH-1", Lot: "BREAD-1", Product: "bread"},
	}
	events := map[string]graph.Event{}
	for i, k := range keys {
		events[k] = want[i]
	}
	var doc bytes.Buffer
	err := Export(&doc, at, func(yield func(graph.KDERow) error) error {
		for _, r := range rows {
			if err := yield(r); err != nil {
				return err
			}
		}
		return nil
	}, Sources{Events: func(ks []string) (map[string]graph.Event, error) { return events, nil }})
	if err != nil {
		t.Fatal(err)
	}
	evs, err := MustValidator().ReadDocument(doc.Bytes())
	if err != nil {
		t.Fatalf("the export does not read back: %v %+v\n%s", err, graph.ErrorFields(err), doc.String())
	}
	var got []graph.Event
	for _, e := range evs {
		got = append(got, e.CTEs...)
	}
	if len(got) != len(want) {
		t.Fatalf("%d CTEs back, want %d:\n%s", len(got), len(want), doc.String())
	}
	for i := range want {
		if got[i].Fingerprint() != want[i].Fingerprint() {
			t.Errorf("event %d came back as\n%#v\nwant\n%#v", i, got[i], want[i])
		}
	}
	if evs[3].ID != "urn:lot-trace:shipment:SH-1" {
		t.Errorf("the shipment's event id is %q", evs[3].ID)
	}
}
