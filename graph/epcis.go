package graph

import "time"

// CapturedEvent is one GS1 EPCIS event as captured. Every event is stored and answered by
// EPCIS queries; a receiving, transformation or shipping of lots is also in the genealogy,
// through the critical tracking events it maps to (CTEs), recorded like any other.
type CapturedEvent struct {
	ID          string // its eventID, or the CBV 2.0 event hash when it came without one
	Type        string // ObjectEvent, TransformationEvent, ...
	Time        time.Time
	BizStep     string // the bare CBV word (receiving) or the URI as given
	BizLocation string
	// Classes, InputClasses and OutputClasses are the epcClass values of its quantity lists,
	// each as given and, for a lot, also as its canonical lot code (so either form matches).
	Classes, InputClasses, OutputClasses []string
	Hash                                 string // the event hash: the same ID with another hash is a conflict
	JSON                                 string // the event as captured, with its ID
	CTEs                                 []Event
	// Keys name the CTEs for the export ("receipt:LOT", "batch:ID", "shipment:ID"), so a
	// trace's event recorded from EPCIS is exported as captured.
	Keys []string
	// NotInGenealogy says why the event has no CTE ("" when it has).
	NotInGenealogy string
}

// Capture error behaviours (GS1-Capture-Error-Behaviour).
const (
	CaptureRollback = "rollback" // all or nothing
	CaptureProceed  = "proceed"  // each event on its own
)

// CaptureJob is one EPCIS capture: what it was asked, whether it is running, and how each
// event that failed or stayed out of the genealogy fared.
type CaptureJob struct {
	ID         string
	CreatedAt  time.Time
	FinishedAt time.Time // zero while running
	Running    bool
	Success    bool
	Behaviour  string
	Events     int // events in the document
	Errors     []CaptureNote
	Notes      []CaptureNote // events stored but not in the genealogy
}

// CaptureNote is what happened to one event of a capture, by its index in the document.
type CaptureNote struct {
	Index   int
	EventID string
	Status  string // an error code (ECONFLICT, EINVALID, ...) for errors; "" for notes
	Reason  string
}

// EventFilter selects captured events (GS1 REST binding query parameters); empty fields
// select everything.
type EventFilter struct {
	Types                                            []string
	From, Before                                     time.Time // GE_eventTime, LT_eventTime
	BizSteps, BizLocations, IDs                      []string
	Classes, InputClasses, OutputClasses, AnyClasses []string
	Limit                                            int
	After                                            string // paging: the (time, id) key last answered, opaque
}
