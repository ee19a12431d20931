package api

import (
	"time"

	"github.com/lot-trace/lot-trace/graph"
)

// The wire shapes of recall cases, converted explicitly from the domain. Times are RFC 3339;
// durations are seconds; a time that has not happened yet is absent.

type openCaseJSON struct {
	Lots   []string `json:"lots"`
	Kind   string   `json:"kind"`
	Reason string   `json:"reason"`
}

// stepInJSON is a step as POST /recalls/{id}/steps takes it; stepJSON adds what the server
// records with it.
type stepInJSON struct {
	Kind      string   `json:"kind"`
	Customer  string   `json:"customer,omitempty"`
	OnHand    *float64 `json:"on_hand,omitempty"`
	Returned  *float64 `json:"returned,omitempty"`
	Destroyed *float64 `json:"destroyed,omitempty"`
	Unit      string   `json:"unit,omitempty"`
	Note      string   `json:"note,omitempty"`
}

type releaseJSON struct {
	Lots   []string `json:"lots"`
	Reason string   `json:"reason"`
}

type closeJSON struct {
	Conclusion string `json:"conclusion"`
}

type caseJSON struct {
	ID             string            `json:"id"`
	Kind           string            `json:"kind"`
	State          string            `json:"state"`
	Reason         string            `json:"reason"`
	Lots           []string          `json:"lots"`
	OpenedAt       string            `json:"opened_at"`
	OpenedBy       string            `json:"opened_by"`
	ClosedAt       string            `json:"closed_at,omitempty"`
	ClosedBy       string            `json:"closed_by,omitempty"`
	Conclusion     string            `json:"conclusion,omitempty"`
	Scope          scopeJSON         `json:"scope"`
	PreviousScopes []scopeJSON       `json:"previous_scopes"` // older versions, oldest first
	Holds          []holdJSON        `json:"holds"`
	Steps          []stepJSON        `json:"steps"`
	Timeline       timelineJSON      `json:"timeline"`
	Effectiveness  effectivenessJSON `json:"effectiveness"`
	// MassBalance is, in the case file only, each recalled lot's forward mass balance.
	MassBalance []massBalanceReportJSON `json:"mass_balance,omitempty"`
}

type scopeJSON struct {
	Version      int                 `json:"version"`
	StartedAt    string              `json:"started_at"`
	ComputedAt   string              `json:"computed_at"`
	AffectedLots []string            `json:"affected_lots"`
	Recalls      []scopeRecallJSON   `json:"recalls"`
	Customers    []scopeCustomerJSON `json:"customers"`
}

// scopeRecallJSON is one recalled lot's recall, in the recall route's shape (without
// truncated and took_ms: a case's scope is always complete).
type scopeRecallJSON struct {
	Lot           string                `json:"lot"`
	SourceBatches []string              `json:"source_batches"`
	Ingredients   recallIngredientsJSON `json:"ingredients"`
	Affected      scopeAffectedJSON     `json:"affected"`
}

type scopeAffectedJSON struct {
	Lots      []string           `json:"lots"`
	Batches   []string           `json:"batches"`
	Customers []string           `json:"customers"`
	Shipments []shipmentLineJSON `json:"shipments"`
}

type scopeCustomerJSON struct {
	ID       string                 `json:"id"`
	Name     string                 `json:"name"`
	Location string                 `json:"location"`
	Contact  string                 `json:"contact"`
	Shipped  []quantityJSON         `json:"shipped"`
	Exposure []customerExposureJSON `json:"exposure"`
}

type customerExposureJSON struct {
	Lot            string   `json:"lot"`
	Exposure       *float64 `json:"exposure"` // in the recalled lot's unit; null when not allocatable
	Unit           string   `json:"unit"`
	NotAllocatable string   `json:"not_allocatable,omitempty"`
}

type holdJSON struct {
	Lot           string `json:"lot"`
	Enforced      bool   `json:"enforced"`
	Active        bool   `json:"active"`
	PlacedAt      string `json:"placed_at"`
	ReleasedAt    string `json:"released_at,omitempty"`
	ReleasedBy    string `json:"released_by,omitempty"`
	ReleaseReason string `json:"release_reason,omitempty"`
}

type stepJSON struct {
	ID string `json:"id"`
	At string `json:"at"`
	By string `json:"by"`
	stepInJSON
}

type timelineJSON struct {
	OpenedAt        string   `json:"opened_at"`
	TraceCompleteAt string   `json:"trace_complete_at,omitempty"`
	AllNotifiedAt   string   `json:"all_notified_at,omitempty"`
	ClosedAt        string   `json:"closed_at,omitempty"`
	ToTraceComplete *float64 `json:"to_trace_complete_s"` // null until it happened
	ToAllNotified   *float64 `json:"to_all_notified_s"`
	ToClose         *float64 `json:"to_close_s"`
	TargetS         float64  `json:"mock_target_s"`
	Result          string   `json:"mock_result,omitempty"` // pass, fail or pending; mock cases only
}

type effectivenessJSON struct {
	Customers      int                    `json:"customers"`
	Notified       int                    `json:"notified"`
	Confirmed      int                    `json:"confirmed"`
	ConfirmedShare float64                `json:"confirmed_share"`
	AccountedShare float64                `json:"accounted_share"`
	Units          []unitAccountJSON      `json:"units"`
	PerCustomer    []customerProgressJSON `json:"per_customer"`
}

type unitAccountJSON struct {
	Unit      string  `json:"unit"`
	Shipped   float64 `json:"shipped"`
	OnHand    float64 `json:"on_hand"`
	Returned  float64 `json:"returned"`
	Destroyed float64 `json:"destroyed"`
	Share     float64 `json:"share"`
}

type customerProgressJSON struct {
	Customer    string         `json:"customer"`
	Name        string         `json:"name"`
	Contact     string         `json:"contact"`
	Shipped     []quantityJSON `json:"shipped"`
	NotifiedAt  string         `json:"notified_at,omitempty"`
	ConfirmedAt string         `json:"confirmed_at,omitempty"`
	OnHand      *float64       `json:"on_hand,omitempty"`
	Returned    *float64       `json:"returned,omitempty"`
	Destroyed   *float64       `json:"destroyed,omitempty"`
	Unit        string         `json:"unit,omitempty"`
}

type caseListJSON struct {
	Cases []caseSummaryJSON `json:"cases"`
}

type caseSummaryJSON struct {
	ID          string   `json:"id"`
	Kind        string   `json:"kind"`
	State       string   `json:"state"`
	Reason      string   `json:"reason"`
	Lots        []string `json:"lots"`
	OpenedAt    string   `json:"opened_at"`
	OpenedBy    string   `json:"opened_by"`
	ClosedAt    string   `json:"closed_at,omitempty"`
	Customers   int      `json:"customers"`
	ActiveHolds int      `json:"active_holds"`
	Steps       int      `json:"steps"`
}

// texts is a list of named strings as plain strings.
func texts[S ~string](xs []S) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

func seconds(d time.Duration, at time.Time) *float64 {
	if at.IsZero() {
		return nil
	}
	s := d.Seconds()
	return &s
}

func quantitiesToJSON(qs []graph.Quantity) []quantityJSON {
	out := make([]quantityJSON, len(qs))
	for i, q := range qs {
		out[i] = quantityJSON{Quantity: q.Amount, Unit: q.Unit}
	}
	return out
}

func caseToJSON(c *graph.RecallCase, tl graph.CaseTimeline, e graph.CaseEffectiveness) caseJSON {
	out := caseJSON{ID: string(c.ID), Kind: string(c.Kind), State: string(c.State), Reason: c.Reason, Lots: texts(c.Lots),
		OpenedAt: rfc3339(c.OpenedAt), OpenedBy: c.OpenedBy, ClosedAt: rfc3339(c.ClosedAt), ClosedBy: c.ClosedBy,
		Conclusion: c.Conclusion, Scope: scopeToJSON(c.Scope()), PreviousScopes: []scopeJSON{}, Holds: []holdJSON{}, Steps: []stepJSON{}}
	for i := 0; i+1 < len(c.Scopes); i++ {
		out.PreviousScopes = append(out.PreviousScopes, scopeToJSON(&c.Scopes[i]))
	}
	for _, h := range c.Holds {
		out.Holds = append(out.Holds, holdJSON{Lot: string(h.Lot), Enforced: h.Enforced, Active: h.Active(), PlacedAt: rfc3339(h.PlacedAt),
			ReleasedAt: rfc3339(h.ReleasedAt), ReleasedBy: h.ReleasedBy, ReleaseReason: h.ReleaseReason})
	}
	for _, s := range c.Steps {
		out.Steps = append(out.Steps, stepToJSON(s))
	}
	out.Timeline = timelineJSON{OpenedAt: rfc3339(tl.OpenedAt), TraceCompleteAt: rfc3339(tl.TraceCompleteAt),
		AllNotifiedAt: rfc3339(tl.AllNotifiedAt), ClosedAt: rfc3339(tl.ClosedAt),
		ToTraceComplete: seconds(tl.ToTraceComplete, tl.TraceCompleteAt), ToAllNotified: seconds(tl.ToAllNotified, tl.AllNotifiedAt),
		ToClose: seconds(tl.ToClose, tl.ClosedAt), TargetS: tl.Target.Seconds(), Result: string(tl.Result)}
	out.Effectiveness = effectivenessJSON{Customers: e.Customers, Notified: e.Notified, Confirmed: e.Confirmed,
		ConfirmedShare: e.ConfirmedShare, AccountedShare: e.AccountedShare, Units: []unitAccountJSON{}, PerCustomer: []customerProgressJSON{}}
	for _, u := range e.Units {
		out.Effectiveness.Units = append(out.Effectiveness.Units, unitAccountJSON{Unit: u.Unit, Shipped: u.Shipped, OnHand: u.OnHand,
			Returned: u.Returned, Destroyed: u.Destroyed, Share: u.Share})
	}
	for _, p := range e.PerCustomer {
		cp := customerProgressJSON{Customer: string(p.Customer.Customer.ID), Name: p.Customer.Customer.Name,
			Contact: p.Customer.Customer.Contact, Shipped: quantitiesToJSON(p.Customer.Shipped), NotifiedAt: rfc3339(p.NotifiedAt)}
		if s := p.Confirmation; s != nil {
			cp.ConfirmedAt, cp.Unit = rfc3339(s.At), s.Unit
			cp.OnHand, cp.Returned, cp.Destroyed = &s.OnHand, &s.Returned, &s.Destroyed
		}
		out.Effectiveness.PerCustomer = append(out.Effectiveness.PerCustomer, cp)
	}
	return out
}

func stepToJSON(s graph.Step) stepJSON {
	out := stepJSON{ID: s.ID, At: rfc3339(s.At), By: s.By,
		stepInJSON: stepInJSON{Kind: string(s.Kind), Customer: string(s.Customer), Unit: s.Unit, Note: s.Note}}
	if s.Kind == graph.StepCustomerConfirmed {
		out.OnHand, out.Returned, out.Destroyed = &s.OnHand, &s.Returned, &s.Destroyed
	}
	return out
}

func scopeToJSON(s *graph.CaseScope) scopeJSON {
	out := scopeJSON{Version: s.Version, StartedAt: rfc3339(s.StartedAt), ComputedAt: rfc3339(s.ComputedAt),
		AffectedLots: texts(s.AffectedLots()), Recalls: []scopeRecallJSON{}, Customers: []scopeCustomerJSON{}}
	for _, r := range s.Recalls {
		sr := scopeRecallJSON{Lot: string(r.Lot), SourceBatches: r.SourceBatches,
			Ingredients: recallIngredientsJSON{Lots: r.IngredientLots, Batches: r.IngredientBatches, Suppliers: r.Suppliers},
			Affected:    scopeAffectedJSON{Lots: r.AffectedLots, Batches: r.AffectedBatches, Customers: r.Customers, Shipments: []shipmentLineJSON{}}}
		for _, l := range r.Shipments {
			sr.Affected.Shipments = append(sr.Affected.Shipments, shipmentLineToJSON(l))
		}
		out.Recalls = append(out.Recalls, sr)
	}
	for _, c := range s.Customers {
		sc := scopeCustomerJSON{ID: string(c.Customer.ID), Name: c.Customer.Name, Location: c.Customer.Location,
			Contact: c.Customer.Contact, Shipped: quantitiesToJSON(c.Shipped), Exposure: []customerExposureJSON{}}
		for _, x := range c.Exposure {
			ex := customerExposureJSON{Lot: string(x.Lot), Unit: x.Unit, NotAllocatable: x.NotAllocatable}
			if x.NotAllocatable == "" {
				amount := x.Amount
				ex.Exposure = &amount
			}
			sc.Exposure = append(sc.Exposure, ex)
		}
		out.Customers = append(out.Customers, sc)
	}
	return out
}

func caseSummaryToJSON(s graph.CaseSummary) caseSummaryJSON {
	return caseSummaryJSON{ID: string(s.ID), Kind: string(s.Kind), State: string(s.State), Reason: s.Reason, Lots: texts(s.Lots),
		OpenedAt: rfc3339(s.OpenedAt), OpenedBy: s.OpenedBy, ClosedAt: rfc3339(s.ClosedAt), Customers: s.Customers,
		ActiveHolds: s.ActiveHolds, Steps: s.Steps}
}
