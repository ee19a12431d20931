package api

import (
	"time"

	"github.com/lot-trace/lot-trace/graph"
)

// captureJobJSON is a capture job as GS1's REST binding describes it, with the events the
// document held and the notes of the events stored but not put into the genealogy.
type captureJobJSON struct {
	CaptureID             string            `json:"captureID"`
	CreatedAt             string            `json:"createdAt"`
	FinishedAt            string            `json:"finishedAt,omitempty"`
	Running               bool              `json:"running"`
	Success               bool              `json:"success"`
	CaptureErrorBehaviour string            `json:"captureErrorBehaviour"`
	Events                int               `json:"events"`
	Errors                []captureNoteJSON `json:"errors"`
	Notes                 []captureNoteJSON `json:"notes"`
}

// captureNoteJSON is one event's error or note, by its index in the document (-1: the
// capture as a whole).
type captureNoteJSON struct {
	Index   int    `json:"index"`
	EventID string `json:"eventID,omitempty"`
	Status  int    `json:"status,omitempty"`
	Reason  string `json:"reason"`
}

// capturedEventJSON answers POST /epcis/events.
type capturedEventJSON struct {
	EventID     string `json:"eventID"`
	Created     bool   `json:"created"`
	InGenealogy bool   `json:"inGenealogy"`
	Note        string `json:"note,omitempty"`
}

func captureJobToJSON(j graph.CaptureJob) captureJobJSON {
	out := captureJobJSON{CaptureID: j.ID, CreatedAt: j.CreatedAt.UTC().Format(time.RFC3339Nano), Running: j.Running,
		Success: j.Success, CaptureErrorBehaviour: j.Behaviour, Events: j.Events,
		Errors: notesToJSON(j.Errors), Notes: notesToJSON(j.Notes)}
	if !j.FinishedAt.IsZero() {
		out.FinishedAt = j.FinishedAt.UTC().Format(time.RFC3339Nano)
	}
	return out
}

func notesToJSON(notes []graph.CaptureNote) []captureNoteJSON {
	out := make([]captureNoteJSON, len(notes))
	for i, n := range notes {
		out[i] = captureNoteJSON{Index: n.Index, EventID: n.EventID, Reason: n.Reason}
		if n.Status != "" {
			out[i].Status = statusOf[n.Status]
		}
	}
	return out
}
