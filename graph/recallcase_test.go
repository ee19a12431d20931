package graph

import (
	"testing"
	"time"
)

// testCase is a case opened at 08:00 on two customers, A (50 case) and B (20 case, 5 kg).
func testCase(kind CaseKind) *RecallCase {
	at := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	return &RecallCase{ID: "RC-1", Kind: kind, OpenedAt: at, State: CaseOpen, Scopes: []CaseScope{{Version: 1, StartedAt: at,
		ComputedAt: at.Add(2 * time.Second), Customers: []ScopeCustomer{
			{Customer: Customer{ID: "A"}, Shipped: []Quantity{{50, "case"}}},
			{Customer: Customer{ID: "B"}, Shipped: []Quantity{{20, "case"}, {5, "kg"}}},
		}}}}
}

func TestCaseTimelineAndEffectiveness(t *testing.T) {
	c := testCase(CaseMock)
	at := func(m int) time.Time { return c.OpenedAt.Add(time.Duration(m) * time.Minute) }
	tl := c.Timeline(4*time.Hour, at(30))
	if tl.ToTraceComplete != 2*time.Second || !tl.AllNotifiedAt.IsZero() || tl.Result != MockPending {
		t.Errorf("at opening: %+v", tl)
	}
	if got := c.Timeline(4*time.Hour, at(300)).Result; got != MockFail {
		t.Errorf("open past the target: %s, want fail", got)
	}
	c.Steps = []Step{
		{Kind: StepCustomerNotified, Customer: "A", At: at(10)},
		{Kind: StepCustomerNotified, Customer: "B", At: at(20)},
		{Kind: StepCustomerNotified, Customer: "A", At: at(25)}, // a second call: the first counts
		{Kind: StepCustomerConfirmed, Customer: "A", At: at(40), OnHand: 10, Returned: 10, Destroyed: 10, Unit: "case"},
		{Kind: StepCustomerConfirmed, Customer: "A", At: at(50), OnHand: 0, Returned: 40, Destroyed: 10, Unit: "case"}, // replaces
	}
	c.ClosedAt, c.State = at(60), CaseClosed
	tl = c.Timeline(4*time.Hour, at(61))
	if tl.ToAllNotified != 20*time.Minute || tl.ToClose != time.Hour || tl.Result != MockPass {
		t.Errorf("closed: %+v", tl)
	}
	if got := c.Timeline(30*time.Minute, at(61)).Result; got != MockFail {
		t.Errorf("closed after a 30 min target: %s, want fail", got)
	}
	e := c.Effectiveness()
	if e.Customers != 2 || e.Notified != 2 || e.Confirmed != 1 || e.ConfirmedShare != 0.5 {
		t.Errorf("counts: %+v", e)
	}
	// case: 50 of 70 accounted; kg: 0 of 5. Two units: the mean of their shares.
	if len(e.Units) != 2 || e.Units[0].Unit != "case" || e.Units[0].Shipped != 70 || e.Units[0].Returned != 40 ||
		e.Units[0].Share != 50.0/70 || e.Units[1].Share != 0 || e.AccountedShare != (50.0/70)/2 {
		t.Errorf("units: %+v, share %v", e.Units, e.AccountedShare)
	}
	if real := testCase(CaseReal).Timeline(time.Hour, at(500)); real.Result != "" {
		t.Errorf("a real case has no mock result: %s", real.Result)
	}
}

func TestOpenCaseValidate(t *testing.T) {
	for _, tc := range []struct {
		open  OpenCase
		field string
	}{
		{OpenCase{Lots: []LotCode{"A"}, Kind: CaseReal, Reason: "x"}, ""},
		{OpenCase{Kind: CaseReal, Reason: "x"}, "lots"},
		{OpenCase{Lots: []LotCode{"A", "A"}, Kind: CaseReal, Reason: "x"}, "lots[1]"},
		{OpenCase{Lots: []LotCode{" A"}, Kind: CaseReal, Reason: "x"}, "lots[0]"},
		{OpenCase{Lots: []LotCode{"A"}, Kind: "drill", Reason: "x"}, "kind"},
		{OpenCase{Lots: []LotCode{"A"}, Kind: CaseMock, Reason: " "}, "reason"},
	} {
		err := tc.open.Validate()
		fields := ErrorFields(err)
		if (tc.field == "") != (err == nil) || (tc.field != "" && (len(fields) != 1 || fields[0].Field != tc.field)) {
			t.Errorf("%+v: %v %v, want %q", tc.open, err, fields, tc.field)
		}
	}
}
