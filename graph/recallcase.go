package graph

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// A recall case is the work that follows a recall's answer: the stock held, every customer
// told and heard from, the quantities accounted for, and the times of it all, kept so that an
// auditor can read the whole of it afterwards.

// CaseID names a recall case.
type CaseID string

// CaseKind says whether a case is an exercise (mock: holds are recorded, none enforced) or
// a real recall (real: every affected lot is held).
type CaseKind string

const (
	CaseMock CaseKind = "mock"
	CaseReal CaseKind = "real"
)

// CaseState is where a case stands.
type CaseState string

const (
	CaseOpen   CaseState = "open"
	CaseClosed CaseState = "closed"
)

// StepKind names what a recorded step did.
type StepKind string

const (
	StepCustomerNotified  StepKind = "customer_notified"
	StepCustomerConfirmed StepKind = "customer_confirmed"
	StepStockQuarantined  StepKind = "stock_quarantined"
	StepRegulatorNotified StepKind = "regulator_notified"
	StepNote              StepKind = "note"
)

// StepKinds lists every step kind, in the order of a recall's work.
var StepKinds = []StepKind{StepCustomerNotified, StepCustomerConfirmed, StepStockQuarantined, StepRegulatorNotified, StepNote}

// DefaultMockRecallTarget is the time a mock recall has to be done in (BRCGS asks 4 hours).
const DefaultMockRecallTarget = 4 * time.Hour

// RecallCase is a recall case as stored: what was opened, its scope versions (the first
// taken at opening, one more at each rescope), its holds and the steps recorded.
type RecallCase struct {
	ID         CaseID
	Kind       CaseKind
	Reason     string
	Lots       []LotCode // the recalled lots, as asked
	OpenedAt   time.Time
	OpenedBy   string // the name of the key that opened it
	State      CaseState
	ClosedAt   time.Time // zero while open
	ClosedBy   string
	Conclusion string
	Scopes     []CaseScope // oldest first; the last is the current scope
	Holds      []Hold      // by lot
	Steps      []Step      // in the order recorded
}

// Scope is the current scope: the last computed.
func (c *RecallCase) Scope() *CaseScope {
	if len(c.Scopes) == 0 {
		return &CaseScope{}
	}
	return &c.Scopes[len(c.Scopes)-1]
}

// CaseScope is a snapshot of what a case concerns, computed from complete traces.
type CaseScope struct {
	Version    int
	StartedAt  time.Time // when its traces began
	ComputedAt time.Time // when its traces were complete
	Recalls    []ScopeRecall
	Customers  []ScopeCustomer // every affected customer, by id
}

// ScopeRecall is one recalled lot's recall, by key: what GET /lots/{code}/recall answers.
type ScopeRecall struct {
	Lot               LotCode
	SourceBatches     []string
	IngredientLots    []string
	IngredientBatches []string
	Suppliers         []string
	AffectedLots      []string
	AffectedBatches   []string
	Customers         []string
	Shipments         []ShipmentLine
}

// ScopeCustomer is one affected customer: who they are, what they received of the affected
// lots per unit, and their exposure to each recalled lot (graph.Exposures), in that lot's unit.
type ScopeCustomer struct {
	Customer Customer
	Shipped  []Quantity // per unit, over every shipment line of an affected lot
	Exposure []CustomerExposure
}

// CustomerExposure is how much of a recalled lot a customer received, in the recalled lot's
// unit, or why that cannot be told.
type CustomerExposure struct {
	Lot            LotCode
	Amount         float64
	Unit           string
	NotAllocatable string
}

// AffectedLots lists every affected lot of the scope once, sorted: what a real case holds.
func (s *CaseScope) AffectedLots() []LotCode {
	var lots []LotCode
	for _, r := range s.Recalls {
		for _, l := range r.AffectedLots {
			lots = append(lots, LotCode(l))
		}
	}
	slices.Sort(lots)
	return slices.Compact(lots)
}

// Shipments lists every shipment line of the scope once, oldest first.
func (s *CaseScope) Shipments() []ShipmentLine {
	type key struct {
		id   ShipmentID
		line int
	}
	seen := map[key]bool{}
	var lines []ShipmentLine
	for _, r := range s.Recalls {
		for _, l := range r.Shipments {
			if k := (key{l.ID, l.Line}); !seen[k] {
				seen[k] = true
				lines = append(lines, l)
			}
		}
	}
	SortShipmentLines(lines)
	return lines
}

// Hold is a lot held by a case. A real case's hold is enforced (the lot cannot be shipped or
// consumed until it is released); a mock case's is only recorded (what it would hold).
type Hold struct {
	Lot           LotCode
	Enforced      bool
	PlacedAt      time.Time
	ReleasedAt    time.Time // zero while held
	ReleasedBy    string
	ReleaseReason string
}

// Active says the hold has not been released.
func (h Hold) Active() bool { return h.ReleasedAt.IsZero() }

// Step is one recorded piece of a recall's work.
type Step struct {
	ID       string
	Kind     StepKind
	At       time.Time
	By       string
	Customer CustomerID // for the customer steps
	// What a confirming customer reports, in Unit: still on hand, returned, destroyed.
	OnHand, Returned, Destroyed float64
	Unit                        string
	Note                        string
}

// Accounted is what a confirmation accounts for.
func (s Step) Accounted() float64 { return s.OnHand + s.Returned + s.Destroyed }

// OpenCase is what opening a case asks.
type OpenCase struct {
	Lots   []LotCode
	Kind   CaseKind
	Reason string
}

// Validate checks the request's shape; whether the lots exist is the store's to say.
func (o OpenCase) Validate() error {
	var fields []FieldError
	if len(o.Lots) == 0 {
		fields = append(fields, FieldError{Field: "lots", Message: "name at least one lot to recall"})
	}
	seen := map[LotCode]bool{}
	for i, l := range o.Lots {
		field := fmt.Sprintf("lots[%d]", i)
		if err := validID(string(l)); err != "" {
			fields = append(fields, FieldError{Field: field, Message: err})
		} else if seen[l] {
			fields = append(fields, FieldError{Field: field, Message: fmt.Sprintf("lot %s is named twice", l)})
		}
		seen[l] = true
	}
	if o.Kind != CaseMock && o.Kind != CaseReal {
		fields = append(fields, FieldError{Field: "kind", Message: `must be "mock" or "real"`})
	}
	fields = append(fields, requiredText("reason", o.Reason)...)
	if len(fields) > 0 {
		return Invalid("the recall case cannot be opened", fields...)
	}
	return nil
}

// Validate checks a step before it is recorded: its kind, the customer of the customer steps,
// and a confirmation's quantities.
func (s Step) Validate() error {
	var fields []FieldError
	if !slices.Contains(StepKinds, s.Kind) {
		names := make([]string, len(StepKinds))
		for i, k := range StepKinds {
			names[i] = string(k)
		}
		fields = append(fields, FieldError{Field: "kind", Message: "must be one of " + strings.Join(names, ", ")})
	}
	customerStep := s.Kind == StepCustomerNotified || s.Kind == StepCustomerConfirmed
	if customerStep {
		if err := validID(string(s.Customer)); err != "" {
			fields = append(fields, FieldError{Field: "customer", Message: err})
		}
	} else if s.Customer != "" {
		fields = append(fields, FieldError{Field: "customer", Message: "only the customer steps name a customer"})
	}
	if s.Kind == StepCustomerConfirmed {
		for _, q := range []struct {
			field string
			n     float64
		}{{"on_hand", s.OnHand}, {"returned", s.Returned}, {"destroyed", s.Destroyed}} {
			if !(q.n >= 0) || q.n > maxQuantity {
				fields = append(fields, FieldError{Field: q.field, Message: "must be a number from 0"})
			}
		}
		if strings.TrimSpace(s.Unit) == "" {
			fields = append(fields, FieldError{Field: "unit", Message: "a confirmation needs the unit of its quantities"})
		}
	}
	if s.Kind == StepNote {
		fields = append(fields, requiredText("note", s.Note)...)
	}
	if len(s.Note) > maxText {
		fields = append(fields, FieldError{Field: "note", Message: fmt.Sprintf("at most %d bytes", maxText)})
	}
	if len(fields) > 0 {
		return Invalid("the step cannot be recorded", fields...)
	}
	return nil
}

// validID checks an identifier as the contract states it: 1 to 200 printable characters, no
// surrounding spaces. It returns the problem, or "".
func validID(s string) string {
	if s == "" || utf8.RuneCountInString(s) > 200 || !utf8.ValidString(s) || strings.TrimSpace(s) != s ||
		strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return "must be 1 to 200 printable characters, with no control characters or surrounding spaces"
	}
	return ""
}

// maxText bounds the free text of a case (reason, note, conclusion).
const maxText = 10_000

// maxQuantity bounds a reported quantity, as JSON carries no infinity.
const maxQuantity = 1e15

// requiredText checks a free-text field that must be given.
func requiredText(field, s string) []FieldError {
	switch {
	case strings.TrimSpace(s) == "":
		return []FieldError{{Field: field, Message: "is required"}}
	case len(s) > maxText:
		return []FieldError{{Field: field, Message: fmt.Sprintf("at most %d bytes", maxText)}}
	}
	return nil
}

// RequiredText checks a free-text field that must be given (a release's reason, a
// conclusion), as the case's own fields are checked.
func RequiredText(field, s string) error {
	if fields := requiredText(field, s); len(fields) > 0 {
		return Invalid(field+" is missing or too long", fields...)
	}
	return nil
}

// CaseQuery filters the list of cases; zero values do not filter.
type CaseQuery struct {
	Kind     CaseKind
	State    CaseState
	From, To time.Time // opened at or after From, before To
	Limit    int
}

// Validate checks the filters.
func (q CaseQuery) Validate() error {
	var fields []FieldError
	if q.Kind != "" && q.Kind != CaseMock && q.Kind != CaseReal {
		fields = append(fields, FieldError{Field: "kind", Message: `must be "mock" or "real"`})
	}
	if q.State != "" && q.State != CaseOpen && q.State != CaseClosed {
		fields = append(fields, FieldError{Field: "state", Message: `must be "open" or "closed"`})
	}
	if q.Limit < 1 || q.Limit > 1000 {
		fields = append(fields, FieldError{Field: "limit", Message: "must be 1 to 1000"})
	}
	if len(fields) > 0 {
		return &Error{Code: EMALFORMED, Message: "invalid recall case filters", Fields: fields}
	}
	return nil
}

// CaseSummary is a case as the list shows it.
type CaseSummary struct {
	ID          CaseID
	Kind        CaseKind
	State       CaseState
	Reason      string
	Lots        []LotCode
	OpenedAt    time.Time
	OpenedBy    string
	ClosedAt    time.Time
	Customers   int // affected customers in the current scope
	ActiveHolds int
	Steps       int
}
