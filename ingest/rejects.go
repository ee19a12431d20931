package ingest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
)

// RejectJSON is one rejected line in a rejects file.
type RejectJSON struct {
	File    string            `json:"file"`
	Line    int               `json:"line"`
	Status  int               `json:"status"` // as POST /api/v1/events would answer it
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Errors  []rejectFieldJSON `json:"errors,omitempty"`
}

// rejectFieldJSON is one field problem of a rejected line, as the API's problems name it.
type rejectFieldJSON struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// rejectsFile collects rejected lines as NDJSON. It is created before loading, so that a
// rejects file left by an earlier run never outlives a run without rejects, and it is removed
// at the end when nothing was rejected.
type rejectsFile struct {
	path     string
	f        *os.File
	w        *bufio.Writer
	statusOf func(code string) int // nil: status 0
	count    int
	err      error // the first write error, reported at close
}

func createRejects(path string, statusOf func(string) int) (*rejectsFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cannot create the rejects file: %w", err)
	}
	return &rejectsFile{path: path, f: f, w: bufio.NewWriter(f), statusOf: statusOf}, nil
}

func (r *rejectsFile) add(in Input, rej Rejection) {
	var fields []rejectFieldJSON
	for _, f := range rej.Errors {
		if in.Format == FormatCSV {
			// Problems the store finds name wire fields ("inputs[0].lot"); say them in CSV terms.
			f.Field = CSVColumnOf(f.Field)
		}
		fields = append(fields, rejectFieldJSON{Field: f.Field, Message: f.Message})
	}
	status := 0
	if r.statusOf != nil {
		status = r.statusOf(rej.Code)
	}
	b, err := json.Marshal(RejectJSON{
		File: in.Name(), Line: rej.Line, Status: status,
		Code: rej.Code, Message: rej.Message, Errors: fields,
	})
	if err == nil {
		_, err = r.w.Write(append(b, '\n'))
	}
	if err != nil && r.err == nil {
		r.err = err
	}
	r.count++
}

func (r *rejectsFile) close() error {
	err := r.w.Flush()
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = r.err
	}
	if err != nil {
		return fmt.Errorf("writing the rejects file %s: %w", r.path, err)
	}
	if r.count == 0 {
		return os.Remove(r.path)
	}
	return nil
}
