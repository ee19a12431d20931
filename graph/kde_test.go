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
	return fmt.Sprintf("%s %s/%s %s#%d %s %g%s %s|%s|%s|%s", r.Date.Format("01-02T15"), r.CTE, r.Role, r.EventID, r.Line,
		r.Lot, r.Quantity.Amount, r.Quantity.Unit, r.Source.ID, r.Recipient.ID, r.Reference.Number, strings.Join(ins, ","))
}

func TestKDERowsOfABackwardTrace(t *testing.T) {
	rows := KDERows(newBakery().fg3Backward())
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
	rows := KDERows(newBakery().flourForward())
	want := []string{
		// SALT-A is not downstream of FLOUR-A, so MIX-1 shows the one input on the traced path.
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
	rows := KDERows(g.fg3Backward(), g.flourForward())
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
