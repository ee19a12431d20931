package ingest

import (
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/lot-trace/lot-trace/graph"
)

// The three examples of ../shared/API.md as CSV; decode_test.go holds them as JSON.
const (
	receiptsCSV = `lot_code,product,description,quantity,unit,supplier_lot,expires_at,supplier_id,supplier_name,supplier_location,date,location,ref_type,ref_number
FLOUR-A,FLOUR-AP-25KG,All-purpose flour,1000,kg,MILL-7781,2027-05-01,SUP-MILL,Prairie Mill Co.,"Saskatoon, SK",2026-10-01T07:00:00Z,BAKERY-1,PO,PO-1234
`
	productionsCSV = `event_id,batch_line,date,location,role,lot_code,product,description,quantity,unit,expires_at
B-2026-10-04-01,L1,2026-10-04T12:00:00Z,BAKERY-1,input,FLOUR-A,,,100,kg,
B-2026-10-04-01,L1,2026-10-04T12:00:00Z,BAKERY-1,output,FG-CC-1A,COOKIE-CC-12,Chocolate chip cookies 12-pack,200,case,2027-01-04
`
	shipmentsCSV = `event_id,date,location,customer_id,customer_name,customer_location,ref_type,ref_number,lot_code,quantity,unit
SH-1,2026-10-08T16:00:00Z,BAKERY-1,CUST-A,Corner Grocer,12 Main St,BOL,BOL-77,FG-CC-1A,50,case
`
	// mixedCSV is the three events in one file, in the column order of docs/csv-import.md.
	mixedHeader = "type,event_id,date,location,role,lot_code,product,description,quantity,unit,supplier_lot,expires_at,supplier_id,supplier_name,supplier_location,tlc_source,customer_id,customer_name,customer_location,customer_contact,batch_line,ref_type,ref_number\n"
	mixedCSV    = mixedHeader +
		`receipt,,2026-10-01T07:00:00Z,BAKERY-1,,FLOUR-A,FLOUR-AP-25KG,All-purpose flour,1000,kg,MILL-7781,2027-05-01,SUP-MILL,Prairie Mill Co.,"Saskatoon, SK",,,,,,,PO,PO-1234
production,B-2026-10-04-01,2026-10-04T12:00:00Z,BAKERY-1,input,FLOUR-A,,,100,kg,,,,,,,,,,,L1,,
production,B-2026-10-04-01,2026-10-04T12:00:00Z,BAKERY-1,output,FG-CC-1A,COOKIE-CC-12,Chocolate chip cookies 12-pack,200,case,,2027-01-04,,,,,,,,,L1,,
shipment,SH-1,2026-10-08T16:00:00Z,BAKERY-1,,FG-CC-1A,,,50,case,,,,,,,CUST-A,Corner Grocer,12 Main St,,,BOL,BOL-77
`
)

// result is what one call of Next gave.
type result struct {
	line int
	ev   graph.Event
	err  error
}

// readAll drains a CSV source; it fails the test on an error that ends the source.
func readAll(t *testing.T, text string, kind graph.EventKind) []result {
	t.Helper()
	src := NewCSV(strings.NewReader(text), kind)
	var out []result
	for {
		line, ev, err := src.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		var lineErr *graph.Error
		if err != nil && !errors.As(err, &lineErr) {
			t.Fatalf("Next ended the source at line %d: %v", line, err)
		}
		out = append(out, result{line, ev, err})
		if len(out) > 100 {
			t.Fatal("Next never returns io.EOF")
		}
	}
}

func mustDecode[E graph.Event](t *testing.T, decode func([]byte) (E, error), doc string) graph.Event {
	t.Helper()
	ev, err := decode([]byte(doc))
	if err != nil {
		t.Fatalf("the API.md example does not decode: %v", err)
	}
	return ev
}

func TestCSVMatchesJSON(t *testing.T) {
	receipt := mustDecode(t, DecodeReceipt, receiptExample)
	production := mustDecode(t, DecodeProduction, productionExample)
	shipment := mustDecode(t, DecodeShipment, shipmentExample)
	tests := []struct {
		name  string
		kind  graph.EventKind
		csv   string
		want  []graph.Event
		lines []int
	}{
		{"receipt file", graph.KindReceipt, receiptsCSV, []graph.Event{receipt}, []int{2}},
		{"production file", graph.KindProduction, productionsCSV, []graph.Event{production}, []int{2}},
		{"shipment file", graph.KindShipment, shipmentsCSV, []graph.Event{shipment}, []int{2}},
		{"one file of all three", "", mixedCSV, []graph.Event{receipt, production, shipment}, []int{2, 3, 5}},
		{"CRLF and a byte order mark", "", "\uFEFF" + strings.ReplaceAll(mixedCSV, "\n", "\r\n"), []graph.Event{receipt, production, shipment}, []int{2, 3, 5}},
		{"type column in a per-type file, case and spaces", graph.KindShipment,
			"Type , EVENT_ID,date,location,customer_id,customer_name,customer_location,ref_type,ref_number,lot_code,quantity,unit\n" +
				"Shipment, SH-1 ,2026-10-08T16:00:00Z,BAKERY-1,CUST-A,Corner Grocer,12 Main St,BOL,BOL-77,FG-CC-1A, 50 ,case\n",
			[]graph.Event{shipment}, []int{2}},
		{"shared columns given on one row only, blank rows skipped", graph.KindProduction,
			"event_id,batch_line,date,location,role,lot_code,product,description,quantity,unit,expires_at\n" +
				",,,,,,,,,,\n" +
				"B-2026-10-04-01,,,,input,FLOUR-A,,,100,kg,\n" +
				"B-2026-10-04-01,L1,2026-10-04T12:00:00Z,BAKERY-1,output,FG-CC-1A,COOKIE-CC-12,Chocolate chip cookies 12-pack,200,case,2027-01-04\n",
			[]graph.Event{production}, []int{3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readAll(t, tt.csv, tt.kind)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d results %v, want %d events", len(got), got, len(tt.want))
			}
			for i, r := range got {
				if r.err != nil {
					t.Fatalf("event %d (line %d): %v %+v", i, r.line, r.err, graph.ErrorFields(r.err))
				}
				if r.line != tt.lines[i] {
					t.Errorf("event %d on line %d, want line %d", i, r.line, tt.lines[i])
				}
				if !reflect.DeepEqual(r.ev, tt.want[i]) {
					t.Errorf("event %d:\n got %+v\nwant %+v", i, r.ev, tt.want[i])
				}
				if r.ev.Fingerprint() != tt.want[i].Fingerprint() {
					t.Errorf("event %d has another fingerprint than its JSON twin", i)
				}
			}
		})
	}
}

// TestCSVProblems checks which events come out and which are refused, on which line, and
// which cells each refusal names.
func TestCSVProblems(t *testing.T) {
	const prodHeader = "type,event_id,date,location,role,lot_code,product,quantity,unit,description\n"
	const in = "production,B1,2026-10-04T12:00:00Z,BAKERY-1,input,FLOUR-A,,100,kg,\n"
	const out = "production,B1,2026-10-04T12:00:00Z,BAKERY-1,output,FG-1,COOKIE,200,case,\n"
	const next = "production,B2,2026-10-05T12:00:00Z,BAKERY-1,input,FLOUR-A,,100,kg,\nproduction,B2,2026-10-05T12:00:00Z,BAKERY-1,output,FG-2,COOKIE,200,case,\n"
	const recHeader = "type,lot_code,product,quantity,unit,supplier_id,supplier_location,date,location,ref_type,ref_number\n"
	const rec = "receipt,FLOUR-A,FLOUR,1000,kg,SUP-MILL,Saskatoon,2026-10-01T07:00:00Z,BAKERY-1,PO,PO-1\n"

	tests := []struct {
		name string
		kind graph.EventKind
		csv  string
		// want has one entry per result: "L ok" for an event starting on line L, or
		// "L: field; field" for a refusal on line L naming those fields.
		want        []string
		wantMessage string // in one of the refusals' field messages
	}{
		{"bad quantity", "", prodHeader + in + strings.Replace(out, "200", "2OO", 1) + next,
			[]string{"2: line 3, column quantity", "4 ok"}, `"2OO" is not a number`},
		{"decimal comma", "", prodHeader + strings.Replace(in, "100", `"12,5"`, 1) + out,
			[]string{"2: line 2, column quantity"}, "with a point for decimals"},
		{"quantity not above zero", "", recHeader + strings.Replace(rec, "1000", "-3", 1),
			[]string{"2: line 2, column quantity"}, "from 0.000001 to 1000000000000"},
		{"quantity too small", "", recHeader + strings.Replace(rec, "1000", "1e-320", 1),
			[]string{"2: line 2, column quantity"}, "1e-6 to 1e12"},
		{"quantity too large", "", recHeader + strings.Replace(rec, "1000", "1000000000001", 1),
			[]string{"2: line 2, column quantity"}, "1e-6 to 1e12"},
		{"bad date", "", recHeader + strings.Replace(rec, "2026-10-01T07:00:00Z", "01/10/2026 07:00", 1) + rec,
			[]string{"2: line 2, column date", "3 ok"}, "RFC 3339"},
		{"bad date on a later row of a production", "", prodHeader + in + strings.Replace(out, "2026-10-04T12:00:00Z", "tomorrow", 1),
			[]string{"2: line 3, column date"}, `"tomorrow" differs from "2026-10-04T12:00:00Z" on line 2`},
		{"contradicting shared field", "", prodHeader + in + strings.Replace(out, "BAKERY-1", "BAKERY-2", 1) + next,
			[]string{"2: line 3, column location", "4 ok"}, `"BAKERY-2" differs from "BAKERY-1" on line 2`},
		{"contradicting customer", "", "type,event_id,date,location,customer_id,customer_location,ref_type,ref_number,lot_code,quantity,unit\n" +
			"shipment,SH-1,2026-10-08T16:00:00Z,BAKERY-1,CUST-A,12 Main St,BOL,BOL-77,FG-1,50,case\n" +
			"shipment,SH-1,2026-10-08T16:00:00Z,BAKERY-1,CUST-B,12 Main St,BOL,BOL-77,FG-2,50,case\n",
			[]string{"2: line 3, column customer_id"}, "must agree"},
		{"production with no output", "", prodHeader + in + next,
			[]string{"2: line 2, column role", "3 ok"}, "no row has role output"},
		{"production with a bad role", "", prodHeader + in + strings.Replace(out, "output", "product", 1),
			[]string{"2: line 3, column role"}, `"product" is not input or output`},
		{"missing type", "", prodHeader + strings.Replace(in, "production", "", 1) + next,
			[]string{"2: line 2, column type", "3 ok"}, "is required: receipt, production or shipment"},
		{"unknown type", "", recHeader + strings.Replace(rec, "receipt", "reciept", 1) + rec,
			[]string{"2: line 2, column type", "3 ok"}, `"reciept" is not receipt`},
		{"a typo in the type of one row rejects its whole event", "", prodHeader + in + strings.Replace(out, "production", "shipment", 1) + next,
			[]string{"2: line 3, column type", "4 ok"}, "must have the same type"},
		{"a cell the row type does not use", "", recHeader[:len(recHeader)-1] + ",customer_id\n" + rec[:len(rec)-1] + ",CUST-A\n",
			[]string{"2: line 2, column customer_id"}, "is not used on receipt rows"},
		{"product on an input row", "", prodHeader + strings.Replace(in, ",,100", ",FLOUR,100", 1) + out,
			[]string{"2: line 2, column product"}, "production input rows"},
		{"a missing column is named", "", "type,lot_code,quantity,unit,date,location\n" + "receipt,FLOUR-A,1000,kg,2026-10-01T07:00:00Z,BAKERY-1\n",
			[]string{"2: line 2, column product; line 2, column supplier_id; line 2, column supplier_location; line 2, column ref_type; line 2, column ref_number"},
			"the file has no supplier_id column"},
		{"production without event id", "", prodHeader + strings.Replace(in, "B1", "", 1) + next,
			[]string{"2: line 2, column event_id", "3 ok"}, "share its batch id"},
		{"receipts sharing an event id stay separate", "", "type,event_id,lot_code,product,quantity,unit,supplier_id,supplier_location,date,location,ref_type,ref_number\n" +
			"receipt,RCV-1,FLOUR-A,FLOUR,1000,kg,SUP-MILL,Saskatoon,2026-10-01T07:00:00Z,BAKERY-1,PO,PO-1\n" +
			"receipt,RCV-1,SUGAR-A,SUGAR,500,kg,SUP-MILL,Saskatoon,2026-10-01T07:00:00Z,BAKERY-1,PO,PO-1\n",
			[]string{"2 ok", "3 ok"}, ""},
		{"wrong type in a per-type file", graph.KindReceipt, recHeader + strings.Replace(rec, "receipt", "shipment", 1) + rec,
			[]string{"2: line 2, column type", "3 ok"}, `"shipment" in a file of receipts`},
		// A line break is a control character, refused as in JSON; the lines after it still count right.
		{"a quoted cell over two lines", "", prodHeader +
			in + strings.Replace(out, "case,", "case,\"cookies,\n12-pack\"", 1) + next,
			[]string{"2: line 3, column description", "5 ok"}, "printable"},
		{"an unreadable row rejects the event it interrupts", "", prodHeader + in + "production,B1,\"bad\"quote,,,,,,,\n" + out + next,
			[]string{"2: line 3", "5 ok"}, "cannot be read as CSV"},
		{"a short row rejects the events on both sides", "", prodHeader + in + out + "production,B1,2026\n" + next,
			[]string{"2: line 4", "5: line 5"}, "line 4, just before this event, cannot be read"},
		{"a short row between receipts is refused alone", "", recHeader + rec + "receipt,SUGAR\n" + strings.Replace(rec, "FLOUR-A", "FLOUR-B", 1),
			[]string{"2 ok", "3: line 3", "4 ok"}, "it has 2 cells, the header has 11"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			var messages []string
			for _, r := range readAll(t, tt.csv, tt.kind) {
				if r.err == nil {
					got = append(got, strconv.Itoa(r.line)+" ok")
					continue
				}
				var fields []string
				for _, f := range graph.ErrorFields(r.err) {
					fields = append(fields, f.Field)
					messages = append(messages, f.Message)
				}
				got = append(got, strconv.Itoa(r.line)+": "+strings.Join(fields, "; "))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %q\nwant %q\nmessages: %q", got, tt.want, messages)
			}
			if tt.wantMessage != "" && !strings.Contains(strings.Join(messages, "\n"), tt.wantMessage) {
				t.Errorf("no message mentions %q; messages: %q", tt.wantMessage, messages)
			}
		})
	}
}

func TestCSVHeaderProblemsEndTheSource(t *testing.T) {
	tests := []struct {
		name string
		kind graph.EventKind
		csv  string
		want string
	}{
		{"unknown column", "", "type,lot_code,qty,unit,date,location\n", `line 1: unknown column "qty" (header cell 3)`},
		{"no type column", "", "lot_code,quantity,unit,date,location\n", "line 1: missing column(s) type"},
		{"a per-type file misses what its events need", graph.KindShipment, "event_id,lot_code,quantity,unit,date,location\n", "missing column(s) customer_id, customer_location, ref_type, ref_number"},
		{"a column twice", "", "type,lot_code,quantity,unit,date,location,Unit\n", `column "unit" appears twice`},
		{"an unnamed column", "", "type,lot_code,,quantity,unit,date,location\n", "header cell 3 is empty"},
		{"empty file", "", "", "the file is empty"},
		{"unknown fixed type", "batch", "lot_code\n", `unknown event type "batch"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := NewCSV(strings.NewReader(tt.csv), tt.kind).Next()
			var lineErr *graph.Error
			if err == nil || errors.Is(err, io.EOF) || errors.As(err, &lineErr) {
				t.Fatalf("Next() error = %v, want one that ends the source", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Next() error = %q, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestCSVColumnOf(t *testing.T) {
	tests := map[string]string{
		"inputs[1].lot":           "column lot_code of the event's input row 2",
		"outputs[0].code":         "column lot_code of the event's output row 1",
		"lines[2].unit":           "column unit of the event's shipment row 3",
		"batch.id":                "column event_id",
		"lot.code":                "column lot_code",
		"id":                      "column event_id",
		"line 7, column quantity": "line 7, column quantity",
	}
	for field, want := range tests {
		if got := CSVColumnOf(field); got != want {
			t.Errorf("CSVColumnOf(%q) = %q, want %q", field, got, want)
		}
	}
}
