package graph

import (
	"slices"
	"time"
)

// MockResult is how a mock recall did against its target.
type MockResult string

const (
	MockPass    MockResult = "pass"    // traced, every customer notified and closed within the target
	MockFail    MockResult = "fail"    // one of them took longer, or the target passed with the case open
	MockPending MockResult = "pending" // open, and the target has not passed yet
)

// CaseTimeline is a case's times from opening: to a complete trace, to every affected
// customer notified, to close. A zero time (and a zero duration) has not happened yet.
type CaseTimeline struct {
	OpenedAt        time.Time
	TraceCompleteAt time.Time // when the first scope's traces were complete
	AllNotifiedAt   time.Time // when the last affected customer was first notified
	ClosedAt        time.Time
	ToTraceComplete time.Duration
	ToAllNotified   time.Duration
	ToClose         time.Duration
	Target          time.Duration // a mock recall's time limit
	Result          MockResult    // mock cases only; "" for a real case
}

// Timeline reads the case's times; target is a mock recall's limit, now the time it is read.
func (c *RecallCase) Timeline(target time.Duration, now time.Time) CaseTimeline {
	t := CaseTimeline{OpenedAt: c.OpenedAt, ClosedAt: c.ClosedAt, Target: target}
	if len(c.Scopes) > 0 {
		t.TraceCompleteAt = c.Scopes[0].ComputedAt
		t.ToTraceComplete = t.TraceCompleteAt.Sub(c.OpenedAt)
	}
	notified := c.firstSteps(StepCustomerNotified)
	all := true
	for _, sc := range c.Scope().Customers {
		at, ok := notified[sc.Customer.ID]
		if !ok {
			all = false
			break
		}
		if at.After(t.AllNotifiedAt) {
			t.AllNotifiedAt = at
		}
	}
	if !all {
		t.AllNotifiedAt = time.Time{}
	} else if len(c.Scope().Customers) == 0 {
		t.AllNotifiedAt = t.TraceCompleteAt // nobody to notify: done once the trace was
	}
	if !t.AllNotifiedAt.IsZero() {
		t.ToAllNotified = t.AllNotifiedAt.Sub(c.OpenedAt)
	}
	if !c.ClosedAt.IsZero() {
		t.ToClose = c.ClosedAt.Sub(c.OpenedAt)
	}
	if c.Kind == CaseMock {
		t.Result = t.mockResult(now)
	}
	return t
}

func (t CaseTimeline) mockResult(now time.Time) MockResult {
	within := func(d time.Duration, at time.Time) bool { return !at.IsZero() && d <= t.Target }
	switch {
	case within(t.ToTraceComplete, t.TraceCompleteAt) && within(t.ToAllNotified, t.AllNotifiedAt) && within(t.ToClose, t.ClosedAt):
		return MockPass
	case t.ClosedAt.IsZero() && now.Sub(t.OpenedAt) <= t.Target:
		return MockPending
	}
	return MockFail
}

// firstSteps is, per customer, the time of the first step of kind.
func (c *RecallCase) firstSteps(kind StepKind) map[CustomerID]time.Time {
	first := map[CustomerID]time.Time{}
	for _, s := range c.Steps {
		if s.Kind != kind {
			continue
		}
		if at, ok := first[s.Customer]; !ok || s.At.Before(at) {
			first[s.Customer] = s.At
		}
	}
	return first
}

// CaseEffectiveness is how far a recall has got: the share of affected customers who
// confirmed, and the share of the affected quantity accounted for (on hand, returned or
// destroyed, as the customers confirmed it) against the quantity shipped to them, per unit
// (units are never converted).
type CaseEffectiveness struct {
	Customers      int     // affected customers in the current scope
	Notified       int     // of them, notified
	Confirmed      int     // of them, confirmed
	ConfirmedShare float64 // Confirmed / Customers; 1 with no customers
	Units          []UnitAccount
	// AccountedShare is accounted / shipped when every line is in one unit; over several
	// units, the mean of the units' shares.
	AccountedShare float64
	PerCustomer    []CustomerProgress // by customer id
}

// UnitAccount is the quantity of one unit shipped to the affected customers and what their
// confirmations account for.
type UnitAccount struct {
	Unit                                 string
	Shipped, OnHand, Returned, Destroyed float64
	Share                                float64 // (on hand + returned + destroyed) / shipped
}

// CustomerProgress is one affected customer's part of the work.
type CustomerProgress struct {
	Customer     ScopeCustomer
	NotifiedAt   time.Time // the first notification; zero: not notified
	Confirmation *Step     // the latest confirmation, which replaces any before it; nil: none
}

// Effectiveness reads how far the case has got from its steps.
func (c *RecallCase) Effectiveness() CaseEffectiveness {
	notified := c.firstSteps(StepCustomerNotified)
	latest := map[CustomerID]*Step{}
	for i, s := range c.Steps {
		if s.Kind == StepCustomerConfirmed {
			latest[s.Customer] = &c.Steps[i]
		}
	}
	e := CaseEffectiveness{Customers: len(c.Scope().Customers)}
	units := map[string]*UnitAccount{}
	unit := func(u string) *UnitAccount {
		if units[u] == nil {
			units[u] = &UnitAccount{Unit: u}
		}
		return units[u]
	}
	for _, sc := range c.Scope().Customers {
		p := CustomerProgress{Customer: sc, NotifiedAt: notified[sc.Customer.ID], Confirmation: latest[sc.Customer.ID]}
		if !p.NotifiedAt.IsZero() {
			e.Notified++
		}
		for _, q := range sc.Shipped {
			unit(q.Unit).Shipped += q.Amount
		}
		if s := p.Confirmation; s != nil {
			e.Confirmed++
			u := unit(s.Unit)
			u.OnHand, u.Returned, u.Destroyed = u.OnHand+s.OnHand, u.Returned+s.Returned, u.Destroyed+s.Destroyed
		}
		e.PerCustomer = append(e.PerCustomer, p)
	}
	e.ConfirmedShare = share(float64(e.Confirmed), float64(e.Customers))
	var shares, accounted, shipped float64
	for _, u := range units {
		u.Share = share(u.OnHand+u.Returned+u.Destroyed, u.Shipped)
		shares += u.Share
		accounted, shipped = accounted+u.OnHand+u.Returned+u.Destroyed, shipped+u.Shipped
		e.Units = append(e.Units, *u)
	}
	slices.SortFunc(e.Units, func(a, b UnitAccount) int {
		if a.Unit < b.Unit {
			return -1
		}
		if a.Unit > b.Unit {
			return 1
		}
		return 0
	})
	switch len(e.Units) {
	case 0:
		e.AccountedShare = 1 // nothing was shipped: nothing to account for
	case 1:
		e.AccountedShare = share(accounted, shipped)
	default:
		e.AccountedShare = shares / float64(len(e.Units))
	}
	return e
}

// share is part / whole, 1 when whole is 0 and part is too (nothing to do is all done).
func share(part, whole float64) float64 {
	if whole == 0 {
		if part == 0 {
			return 1
		}
		return 0
	}
	return part / whole
}
