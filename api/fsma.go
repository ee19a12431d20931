package api

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/graph/gs1"
	"github.com/lot-trace/lot-trace/ingest"
)

// FSMAStore is what the FDA records request, the products and the completeness report need
// of the store.
type FSMAStore interface {
	PutProduct(ctx context.Context, p graph.Product) (created bool, err error)
	Product(ctx context.Context, id graph.ProductID) (graph.Product, error)
	Products(ctx context.Context, limit int) ([]graph.Product, error)
	StreamRecords(ctx context.Context, sc graph.RecordsScope, cte graph.CTE, yield func(graph.KDERow) error) error
	LogRecordsRequest(ctx context.Context, q graph.RecordsRequest) error
	RecordsRequests(ctx context.Context, limit int) ([]graph.RecordsRequest, error)
	Completeness(ctx context.Context, sc graph.RecordsScope, examples int, now time.Time) (*graph.Completeness, error)
}

// handleProductPut answers PUT /api/v1/products/:id with {"description", "ftl_category"}:
// 201 for a new product, 200 for one replaced.
func (s *Server) handleProductPut(c *gin.Context) error {
	body, err := s.readBody(c)
	if err != nil {
		return err
	}
	p, err := ingest.DecodeProduct(c.Param("id"), body)
	if err != nil {
		return err
	}
	p.UpdatedAt = time.Now().UTC()
	note := auditNoteOf(c)
	note.event, note.ids = "product", []string{string(p.ID)}
	if err := s.auditBegin(c); err != nil {
		return err
	}
	created, err := s.store.PutProduct(c.Request.Context(), p)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	c.JSON(status, productToJSON(p))
	return nil
}

// handleProductList answers GET /api/v1/products?limit=: the products, by id, with their
// categories (the explorer reads them once to mark lots of listed foods).
func (s *Server) handleProductList(c *gin.Context) error {
	limit, err := intParam(c, "limit", 10000, 1, 100000)
	if err != nil {
		return err
	}
	ps, err := s.store.Products(c.Request.Context(), limit)
	if err != nil {
		return err
	}
	out := productListJSON{Products: make([]productJSON, len(ps))}
	for i, p := range ps {
		out.Products[i] = productToJSON(p)
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// handleFSMAFoods answers GET /api/v1/fsma/foods: the Food Traceability List, the codes a
// product's ftl_category takes and the FDA's names, for pickers.
func (s *Server) handleFSMAFoods(c *gin.Context) error {
	out := ftlListJSON{Foods: make([]ftlFoodJSON, len(graph.FoodTraceabilityList))}
	for i, f := range graph.FoodTraceabilityList {
		out.Foods[i] = ftlFoodJSON{Category: string(f.Category), Name: f.Name}
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// handleProductGet answers GET /api/v1/products/:id.
func (s *Server) handleProductGet(c *gin.Context) error {
	p, err := s.store.Product(c.Request.Context(), graph.ProductID(c.Param("id")))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, productToJSON(p))
	return nil
}

// recordsScopeParams reads product=, food=, tlc= (lists pipe-separated), from= and to= (an
// RFC 3339 time, or a date: from its start, to its end). need says a scope must be named.
func recordsScopeParams(c *gin.Context, need bool) (graph.RecordsScope, error) {
	var sc graph.RecordsScope
	// A product or lot named twice (or a GS1 lot in two forms) is one: each record once. A
	// request may name thousands of lots, so the names seen are kept in a set.
	seen := map[string]bool{}
	for _, p := range pipeList(c.Query("product")) {
		if !seen["product:"+p] {
			seen["product:"+p] = true
			sc.Products = append(sc.Products, graph.ProductID(p))
		}
	}
	for _, l := range pipeList(c.Query("tlc")) {
		if code := gs1.Canonical(l); !seen["tlc:"+code] {
			seen["tlc:"+code] = true
			sc.TLCs = append(sc.TLCs, graph.LotCode(code))
		}
	}
	sc.Food = graph.FTLCategory(strings.TrimSpace(c.Query("food")))
	var problems []graph.FieldError
	for _, p := range []struct {
		name  string
		dst   *time.Time
		isEnd bool
	}{{"from", &sc.From, false}, {"to", &sc.To, true}} {
		raw := strings.TrimSpace(c.Query(p.name))
		if raw == "" {
			continue
		}
		if t, err := time.Parse(time.RFC3339Nano, raw); err == nil {
			*p.dst = t.UTC()
			continue
		}
		d, err := time.Parse(time.DateOnly, raw)
		if err != nil {
			problems = append(problems, graph.FieldError{Field: p.name, Message: "must be a date such as 2026-03-01 or an RFC 3339 time"})
			continue
		}
		if p.isEnd {
			d = d.AddDate(0, 0, 1).Add(-time.Nanosecond) // the whole day
		}
		*p.dst = d
	}
	if len(problems) > 0 {
		return sc, &graph.Error{Code: graph.EMALFORMED, Message: "invalid records request", Fields: problems}
	}
	return sc, sc.Validate(need)
}

// pipeList splits a pipe-separated parameter, dropping empty parts.
func pipeList(raw string) []string {
	var out []string
	for _, p := range strings.Split(raw, "|") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// newRecordsRequestID names a records request: its day and random hex.
func newRecordsRequestID(now time.Time) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return "RR-" + now.UTC().Format("20060102-150405") + "-" + hex.EncodeToString(b)
}

// handleFSMARecords answers GET /api/v1/fsma/records?product=&food=&tlc=&from=&to=&format=:
// every record of the scope as the FDA's electronic sortable spreadsheet (xlsx: a tab per
// CTE; csv: one table), or as JSON, streamed from the store; the request is then logged.
func (s *Server) handleFSMARecords(c *gin.Context) error {
	f, err := formatParam(c, formatCSV, formatXLSX)
	if err != nil {
		return err
	}
	scope, err := recordsScopeParams(c, true)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	who, _ := PrincipalFrom(c.Request.Context())
	info := recordsRequestInfo{ID: newRecordsRequestID(now), Scope: scope, Key: who.Name, Role: string(who.Role), At: now}
	n := recordsCount{}
	read := func(cte graph.CTE, yield func(graph.KDERow) error) error {
		return s.store.StreamRecords(c.Request.Context(), scope, cte, yield)
	}
	name := downloadName(graph.LotCode(info.ID), "fsma-records", f, now)
	c.Header("X-Records-Request-Id", info.ID)
	switch f {
	case formatCSV:
		err = s.sendSheet(c, f, name, recordsCSVWorkbook(read, n))
	case formatXLSX:
		err = s.sendSheet(c, f, name, recordsWorkbook(read, info, n))
	default:
		err = s.sendRecordsJSON(c, read, info, n)
	}
	total := 0
	for _, k := range n {
		total += k
	}
	auditNoteOf(c).setRows(total)
	s.logRecordsRequest(c, graph.RecordsRequest{ID: info.ID, Scope: scope, Format: string(f), Key: info.Key, Role: info.Role,
		RequestedAt: now, Rows: n, Complete: err == nil})
	return err
}

// logRecordsRequest keeps the request in the log, also when the client went away; a failure
// to log is itself logged, as the answer has gone out.
func (s *Server) logRecordsRequest(c *gin.Context, q graph.RecordsRequest) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), 10*time.Second)
	defer cancel()
	if err := s.store.LogRecordsRequest(ctx, q); err != nil {
		s.logger.Warn("records request not logged", "id", q.ID, "error", err.Error())
	}
}

// sendRecordsJSON streams the request as {"request": ..., "records": [...], "counts": ...}:
// the counts come last, once every record has been written.
func (s *Server) sendRecordsJSON(c *gin.Context, read recordsRead, info recordsRequestInfo, n recordsCount) error {
	c.Header("Content-Type", "application/json; charset=utf-8")
	c.Status(http.StatusOK)
	out := bufio.NewWriterSize(c.Writer, answerBuffer)
	head, err := json.Marshal(recordsRequestHeadJSON{ID: info.ID, Scope: recordsScopeToJSON(info.Scope), Key: info.Key, GeneratedAt: info.At})
	if err != nil {
		return err
	}
	out.WriteString(`{"request":`)
	out.Write(head)
	out.WriteString(`,"records":[`)
	first := true
	for _, cte := range graph.RecordsCTEs {
		err := n.counted(cte, read)(func(r graph.KDERow) error {
			b, err := json.Marshal(kdeRowToJSON(r))
			if err != nil {
				return err
			}
			if !first {
				out.WriteByte(',')
			}
			first = false
			_, err = out.Write(b)
			return err
		})
		if err != nil {
			return err
		}
	}
	counts, err := json.Marshal(countsToJSON(n))
	if err != nil {
		return err
	}
	out.WriteString(`],"counts":`)
	out.Write(counts)
	out.WriteString("}\n")
	return out.Flush()
}

// handleFSMARequests answers GET /api/v1/fsma/requests?limit=: the records requests logged,
// newest first.
func (s *Server) handleFSMARequests(c *gin.Context) error {
	limit, err := intParam(c, "limit", 100, 1, 1000)
	if err != nil {
		return err
	}
	qs, err := s.store.RecordsRequests(c.Request.Context(), limit)
	if err != nil {
		return err
	}
	out := recordsRequestListJSON{Requests: make([]recordsRequestJSON, len(qs))}
	for i, q := range qs {
		out.Requests[i] = recordsRequestToJSON(q)
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// handleFSMACompleteness answers GET /api/v1/fsma/completeness?from=&to=&product=&food=&tlc=
// &examples=&format=json|xlsx: per CTE the records, those lacking each required KDE (the
// first examples named) and the share complete. No product, food or lot: the whole history.
func (s *Server) handleFSMACompleteness(c *gin.Context) error {
	f, err := formatParam(c, formatXLSX)
	if err != nil {
		return err
	}
	scope, err := recordsScopeParams(c, false)
	if err != nil {
		return err
	}
	examples, err := intParam(c, "examples", graph.DefaultCompletenessExamples, 0, 1000)
	if err != nil {
		return err
	}
	rep, err := s.store.Completeness(c.Request.Context(), scope, examples, time.Now().UTC())
	if err != nil {
		return err
	}
	if f == formatXLSX {
		return s.sendSheet(c, f, downloadName("fsma", "completeness", f, rep.GeneratedAt), completenessWorkbook(rep))
	}
	c.JSON(http.StatusOK, completenessToJSON(rep))
	return nil
}

// intParam reads a whole-number query parameter from lo to hi, def when it is not given.
func intParam(c *gin.Context, name string, def, lo, hi int) (int, error) {
	raw, ok := c.GetQuery(name)
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		return 0, &graph.Error{Code: graph.EMALFORMED, Message: "invalid " + name,
			Fields: []graph.FieldError{{Field: name, Message: fmt.Sprintf("must be a whole number from %d to %d", lo, hi)}}}
	}
	return n, nil
}
