package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/graph/console"
)

// QueryRunner is what the Cypher console needs of the store.
type QueryRunner interface {
	ReadOnlyQuery(ctx context.Context, q console.Query, lim console.Limits) (*console.Result, error)
}

// cypherRequestJSON is the body of POST /api/v1/cypher.
type cypherRequestJSON struct {
	Query  string         `json:"query"`
	Params map[string]any `json:"params"`
}

// handleCypherQuery answers POST /api/v1/cypher: an analyst's read-only query (the store
// refuses anything else with 403). Neo4j's complaints about the query answer 400 with its
// message; a query that outruns the timeout answers 422, because retrying it unchanged would
// fail the same way (503 is kept for a database that is down).
func (s *Server) handleCypherQuery(c *gin.Context) error {
	body, err := s.readBody(c)
	if err != nil {
		return err
	}
	q, err := decodeCypherRequest(body)
	if err != nil {
		return err
	}
	note := auditNoteOf(c)
	note.cypher, note.params = q.Text, q.Params
	if err := s.auditBegin(c); err != nil {
		return err
	}
	start := time.Now()
	lim := console.Limits{Timeout: s.cfg.CypherTimeout, MaxRows: s.cfg.CypherMaxRows, MaxBytes: s.cfg.CypherMaxBytes}
	res, err := s.store.ReadOnlyQuery(c.Request.Context(), q, lim)
	if err != nil {
		return err
	}
	note.setRows(len(res.Rows))
	c.JSON(http.StatusOK, queryResultToJSON(res, time.Since(start)))
	return nil
}

// decodeCypherRequest reads the body; numbers in params keep their kind (42 is an integer for
// Cypher, 42.5 a float), since LIMIT $n needs an integer. "params": null is no parameters,
// as the OpenAPI document says.
func decodeCypherRequest(body []byte) (console.Query, error) {
	var req cypherRequestJSON
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	err := dec.Decode(&req)
	if err == nil && dec.More() {
		err = errors.New("data after the JSON object")
	}
	if err != nil {
		return console.Query{}, &graph.Error{Code: graph.EMALFORMED, Err: err,
			Message: fmt.Sprintf("the body is not {\"query\": \"...\", \"params\": {}}: %v", err)}
	}
	params, err := paramValue("params", req.Params)
	if err != nil {
		return console.Query{}, err
	}
	m, _ := params.(map[string]any)
	return console.Query{Text: req.Query, Params: m}, nil
}

// paramValue turns decoded JSON into Cypher parameter values: json.Number becomes int64 when
// it is a whole number that fits, float64 otherwise; a number beyond float64 (1e999) is
// refused, since it would reach Neo4j as an infinity.
func paramValue(field string, v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n, nil
		}
		f, err := x.Float64()
		if err != nil {
			return nil, &graph.Error{Code: graph.EMALFORMED, Message: fmt.Sprintf("%s: %s is out of range", field, x),
				Fields: []graph.FieldError{{Field: field, Message: "a number beyond ±1.8e308 cannot be a parameter"}}}
		}
		return f, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			var err error
			if out[i], err = paramValue(fmt.Sprintf("%s[%d]", field, i), e); err != nil {
				return nil, err
			}
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			var err error
			if out[k], err = paramValue(field+"."+k, e); err != nil {
				return nil, err
			}
		}
		return out, nil
	default:
		return x, nil
	}
}
