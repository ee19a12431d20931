package graph

import (
	"fmt"
	"strings"
	"testing"
)

// brief writes a row as one line: what the hand-worked expectations below compare.
func brief(r KDERow) string {
	var ins []string
	for _, in := range r.Inputs {
		ins = append(ins, fmt.Sprintf("%s:%g%s", in.Lot, in.Quantity.Amount, in.Quantity.Unit))
	}
	lot := string(r.Lot)
	if r.OutsideTrace {
		lot += "(outside)"
	}
	return fmt.Sprintf("%s %s/%s %s#%d %s %g%s %s|%s|%s|%s", r.Date.Format("01-02T15"), r.CTE, r.Role, r.EventID, r.Line,
		lot, r.Quantity.Amount, r.Quantity.Unit, r.Source.ID, r.Recipient.ID, r.Reference.Number, strings.Join(ins, ","))
}

func TestKDERowsOfABackwardTrace(t *testing.T) {
	rows := KDERows(nil, newBakery().fg3Backward())
	want := []string{
		"10-01T07 receiving/ FLOUR-A#0 FLOUR-A 1000kg SUP-MILL||PO-FLOUR-A|",
		"10-01T08 receiving/ SALT-A#0 SALT-A 100kg SUP-SALT||PO-SALT-A|",
		"10-02T07 receiving/ CHIPS-A#0 CHIPS-A 200kg SUP-CHOC||PO-CHIPS-A|",
		"10-03T06 transformation/input MIX-1#1 FLOUR-A 100kg ||BL-MIX-1|",
		"10-03T06 transformation/input MIX-1#2 SALT-A 2kg ||BL-MIX-1|",
		"10-03T06 transformation/output MIX-1#1 DOUGH-1 100kg ||BL-MIX-1|FLOUR-A:100kg,SALT-A:2kg",
		"10-03T10 transformation/input B-1#1 DOUGH-1 50kg ||BL-B-1|",
		"10-03T10 transformation/input B-1#2 CHIPS-A 10kg ||BL-B-1|",
		// FG-1 is no part of FG-3's history, so B-1's first output is not in this trace.
		"10-03T10 transformation/output B-1#2 FG-2 50case ||BL-B-1|DOUGH-1:50kg,CHIPS-A:10kg",
		"10-04T10 transformation/input B-2#1 DOUGH-1 50kg ||BL-B-2|",
		"10-04T10 transformation/input B-2#2 FG-2 5case ||BL-B-2|",
		"10-04T10 transformation/output B-2#1 FG-3 80case ||BL-B-2|DOUGH-1:50kg,FG-2:5case",
	}
	compareBriefs(t, rows, want)
}

func TestKDERowsOfAForwardTrace(t *testing.T) {
	rows := KDERows(nil, newBakery().flourForward())
	want := []string{
		// Without the batch lines, a trace shows only the lines on its path: SALT-A is not
		// downstream of FLOUR-A, so MIX-1 shows the one input on the traced path.
		"10-03T06 transformation/input MIX-1#1 FLOUR-A 100kg ||BL-MIX-1|",
		"10-03T06 transformation/output MIX-1#1 DOUGH-1 100kg ||BL-MIX-1|FLOUR-A:100kg",
		"10-03T10 transformation/input B-1#1 DOUGH-1 50kg ||BL-B-1|",
		"10-03T10 transformation/output B-1#1 FG-1 100case ||BL-B-1|DOUGH-1:50kg",
		"10-03T10 transformation/output B-1#2 FG-2 50case ||BL-B-1|DOUGH-1:50kg",
		"10-04T10 transformation/input B-2#1 DOUGH-1 50kg ||BL-B-2|",
		"10-04T10 transformation/input B-2#2 FG-2 5case ||BL-B-2|",
		"10-04T10 transformation/output B-2#1 FG-3 80case ||BL-B-2|DOUGH-1:50kg,FG-2:5case",
		"10-05T16 shipping/ SH-1#1 FG-1 40case |CUST-A|BOL-SH-1|",
		"10-06T16 shipping/ SH-2#1 FG-1 30case |CUST-A|BOL-SH-2|",
		"10-06T17 shipping/ SH-3#1 FG-2 20case |CUST-B|BOL-SH-3|",
		"10-07T16 shipping/ SH-4#1 FG-3 80case |CUST-C|BOL-SH-4|",
	}
	compareBriefs(t, rows, want)
}

// Every KDE of each CTE comes from the stored properties.
func TestKDERowsCarryEveryKDE(t *testing.T) {
	g := newBakery()
	rows := KDERows(nil, g.fg3Backward(), g.flourForward())
	find := func(cte CTE, role LineRole, lot LotCode) KDERow {
		for _, r := range rows {
			if r.CTE == cte && r.Role == role && r.Lot == lot {
				return r
			}
		}
		t.Fatalf("no %s %s row of %s", cte, role, lot)
		return KDERow{}
	}
	rcv := find(CTEReceiving, "", "FLOUR-A")
	wantRcv := KDERow{CTE: CTEReceiving, EventID: "FLOUR-A", Lot: "FLOUR-A", Product: "FLOUR", Description: "desc FLOUR",
		Quantity: Quantity{1000, "kg"}, Date: at("2026-10-01T07:00:00Z"), Location: "BAKERY-1",
		Source:    Party{ID: "SUP-MILL", Name: "SUP-MILL Co.", Location: "Saskatoon, SK"},
		TLCSource: "Saskatoon, SK", Reference: Reference{"PO", "PO-FLOUR-A"}, SupplierLot: "S-FLOUR-A", ExpiresAt: "2027-06-30"}
	if fmt.Sprint(rcv) != fmt.Sprint(wantRcv) {
		t.Errorf("receiving row\n got %+v\nwant %+v", rcv, wantRcv)
	}
	out := find(CTETransformation, RoleOutput, "FG-3")
	if out.Location != "BAKERY-1" || out.TLCSource != "BAKERY-1" || out.Product != "P-FG-3" || out.Reference.Type != "batch log" || !out.Date.Equal(at("2026-10-04T10:00:00Z")) {
		t.Errorf("transformation output row lacks a KDE: %+v", out)
	}
	shp := find(CTEShipping, "", "FG-3")
	if shp.Location != "BAKERY-1" || shp.Recipient != (Party{"CUST-C", "CUST-C Store", "CUST-C Street"}) || shp.TLCSource != "BAKERY-1" ||
		shp.Reference != (Reference{"BOL", "BOL-SH-4"}) || !shp.Date.Equal(at("2026-10-07T16:00:00Z")) || shp.Product != "P-FG-3" {
		t.Errorf("shipping row lacks a KDE: %+v", shp)
	}
	// The traces share seven lines (FLOUR-A and DOUGH-1 of MIX-1, DOUGH-1 and FG-2 of B-1,
	// all three of B-2): each shared line is one row, not two.
	if n := len(rows); n != 12+12-7 {
		t.Errorf("%d rows from two overlapping traces, want 17", n)
	}
}

// With the lines of its batches, a trace shows every batch whole: all inputs and all outputs,
// the lots off the traced path marked outside it, each line once.
func TestKDERowsCompleteEveryBatch(t *testing.T) {
	g := newBakery()
	flour := g.flourForward()
	compareBriefs(t, KDERows(g.batchLines(BatchIDs(flour)...), flour), []string{
		"10-03T06 transformation/input MIX-1#1 FLOUR-A 100kg ||BL-MIX-1|",
		"10-03T06 transformation/input MIX-1#2 SALT-A(outside) 2kg ||BL-MIX-1|",
		"10-03T06 transformation/output MIX-1#1 DOUGH-1 100kg ||BL-MIX-1|FLOUR-A:100kg,SALT-A:2kg",
		"10-03T10 transformation/input B-1#1 DOUGH-1 50kg ||BL-B-1|",
		"10-03T10 transformation/input B-1#2 CHIPS-A(outside) 10kg ||BL-B-1|",
		"10-03T10 transformation/output B-1#1 FG-1 100case ||BL-B-1|DOUGH-1:50kg,CHIPS-A:10kg",
		"10-03T10 transformation/output B-1#2 FG-2 50case ||BL-B-1|DOUGH-1:50kg,CHIPS-A:10kg",
		"10-04T10 transformation/input B-2#1 DOUGH-1 50kg ||BL-B-2|",
		"10-04T10 transformation/input B-2#2 FG-2 5case ||BL-B-2|",
		"10-04T10 transformation/output B-2#1 FG-3 80case ||BL-B-2|DOUGH-1:50kg,FG-2:5case",
		"10-05T16 shipping/ SH-1#1 FG-1 40case |CUST-A|BOL-SH-1|",
		"10-06T16 shipping/ SH-2#1 FG-1 30case |CUST-A|BOL-SH-2|",
		"10-06T17 shipping/ SH-3#1 FG-2 20case |CUST-B|BOL-SH-3|",
		"10-07T16 shipping/ SH-4#1 FG-3 80case |CUST-C|BOL-SH-4|",
	})

	// Backward, a batch with two outputs shows the one off the traced path too.
	fg3 := g.fg3Backward()
	var b1 []string
	for _, r := range KDERows(g.batchLines(BatchIDs(fg3)...), fg3) {
		if r.EventID == "B-1" {
			b1 = append(b1, brief(r))
		}
	}
	if want := []string{
		"10-03T10 transformation/input B-1#1 DOUGH-1 50kg ||BL-B-1|",
		"10-03T10 transformation/input B-1#2 CHIPS-A 10kg ||BL-B-1|",
		"10-03T10 transformation/output B-1#1 FG-1(outside) 100case ||BL-B-1|DOUGH-1:50kg,CHIPS-A:10kg",
		"10-03T10 transformation/output B-1#2 FG-2 50case ||BL-B-1|DOUGH-1:50kg,CHIPS-A:10kg",
	}; strings.Join(b1, "\n") != strings.Join(want, "\n") {
		t.Errorf("B-1 in the backward trace of FG-3:\n%s\nwant:\n%s", strings.Join(b1, "\n"), strings.Join(want, "\n"))
	}

	// Lines of a batch that no trace holds are left out.
	if rows := KDERows(g.batchLines("MIX-1"), g.sub("FG-3", Forward, "lot:FG-3", "customer:CUST-C")); len(rows) != 1 || rows[0].CTE != CTEShipping {
		t.Errorf("rows of FG-3's forward trace with MIX-1's lines: %v", rows)
	}
}

// A recall's affected side reaches B-2 from FG-2 only; with the batch lines its export holds
// B-2's DOUGH-1 input too, and DOUGH-1, being among the ingredients, is inside the recall.
func TestKDERowsOfARecallCompleteEveryBatch(t *testing.T) {
	g := newBakery()
	r := g.fg1Recall()
	if got := fmt.Sprint(BatchIDs(r.Traces()...)); got != "[B-1 B-2 MIX-1]" {
		t.Errorf("BatchIDs = %s, want [B-1 B-2 MIX-1]", got)
	}
	b2 := func(rows []KDERow) []string {
		var out []string
		for _, row := range rows {
			if row.EventID == "B-2" {
				out = append(out, brief(row))
			}
		}
		return out
	}
	if got := b2(KDERows(nil, r.Traces()...)); len(got) != 2 {
		t.Fatalf("without the batch lines, B-2 should lack its DOUGH-1 input (the fixture is not the bug's shape): %v", got)
	}
	rows := KDERows(g.batchLines(BatchIDs(r.Traces()...)...), r.Traces()...)
	want := []string{
		"10-04T10 transformation/input B-2#1 DOUGH-1 50kg ||BL-B-2|",
		"10-04T10 transformation/input B-2#2 FG-2 5case ||BL-B-2|",
		"10-04T10 transformation/output B-2#1 FG-3 80case ||BL-B-2|DOUGH-1:50kg,FG-2:5case",
	}
	if got := b2(rows); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("B-2 in the recall of FG-1:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// 3 receipts, MIX-1's 3 lines, B-1's 4, B-2's 3 and 4 shipment lines: each once.
	if len(rows) != 17 {
		t.Errorf("%d rows, want 17", len(rows))
	}
	for _, row := range rows {
		if row.OutsideTrace {
			t.Errorf("%s %s of %s marked outside the recall", row.EventID, row.Role, row.Lot)
		}
	}
}

func compareBriefs(t *testing.T, rows []KDERow, want []string) {
	t.Helper()
	var got []string
	for _, r := range rows {
		got = append(got, brief(r))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
